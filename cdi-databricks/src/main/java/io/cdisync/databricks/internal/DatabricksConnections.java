package io.cdisync.databricks.internal;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.JdbcErrors;
import io.cdisync.core.jdbc.JdbcUrls;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Opens connections to a Databricks SQL warehouse with a personal access token ({@code AuthMech=3},
 * user {@code token}), passed as a connection property, never in the URL.
 *
 * <p>The driver reports every HTTP failure of the login as SQLState {@code CONNECTION_ERROR}, so they are
 * told apart here by the SDK error in the cause chain ({@link DriverFailures}): a refused token or a missing
 * warehouse permission becomes {@link CdiException.AccessDenied}, a starting warehouse
 * {@link WarehouseStarting} (retried by the source within its warm-up bound); anything else goes back to
 * the caller as the driver's {@link SQLException} for cdi-core's {@link JdbcErrors}.
 */
public final class DatabricksConnections implements ConnectionFactory {
    private final String url;
    private final String target;
    private final String httpPath;
    private final Secret token;
    private final Map<String, String> properties;

    /**
     * @param url        {@code jdbc:databricks://host:port/default;transportMode=http;ssl=1;AuthMech=3;httpPath=...}
     * @param target     {@code host:port}, for messages
     * @param httpPath   the warehouse's HTTP path, for messages
     * @param token      the personal access token
     * @param properties other connection properties (catalog, schema, driver settings)
     */
    public DatabricksConnections(String url, String target, String httpPath, Secret token, Map<String, String> properties) {
        this.url = Objects.requireNonNull(url, "url");
        this.target = Objects.requireNonNull(target, "target");
        this.httpPath = Objects.requireNonNull(httpPath, "httpPath");
        this.token = Objects.requireNonNull(token, "token");
        this.properties = Map.copyOf(properties);
    }

    @Override
    public Connection connect() throws SQLException {
        Properties info = new Properties();
        properties.forEach(info::setProperty);
        info.setProperty("UID", "token");
        info.setProperty("PWD", token.reveal());
        try {
            return CaseInsensitiveMetadata.wrap(DriverManager.getConnection(url, info));
        } catch (SQLException e) {
            throw classify(e);
        }
    }

    /** The exception to throw for a failed login: ours for auth and warm-up, the driver's otherwise. */
    private SQLException classify(SQLException e) {
        JdbcErrors errors = JdbcErrors.of(this);
        String answer = redact(DriverFailures.serverMessage(e));
        switch (DriverFailures.kind(e)) {
            case WAREHOUSE_STARTING -> throw new WarehouseStarting("the Databricks SQL warehouse " + httpPath + " on " + target
                    + " is not available yet: " + answer, errors.sanitized(e));
            case TOKEN_REFUSED -> throw new CdiException.AccessDenied("Databricks refused the personal access token for " + target
                    + " (" + answer + "): check that the token is current (not expired or revoked) and belongs to this workspace;"
                    + " create one under User Settings > Developer > Access tokens", errors.sanitized(e));
            case PERMISSION_DENIED -> throw new CdiException.AccessDenied("the token's user may not use the SQL warehouse " + httpPath
                    + " on " + target + " (" + answer + "): grant it CAN USE on the warehouse, and USE CATALOG, USE SCHEMA and"
                    + " SELECT on the table", errors.sanitized(e));
            default -> {
                return e;
            }
        }
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public String redact(String text) {
        return token.redact(JdbcUrls.redact(text));
    }

    @Override
    public String toString() {
        return "DatabricksConnections{" + target + httpPath + ", token=****}";
    }
}
