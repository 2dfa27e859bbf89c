package io.cdisync.core.jdbc.internal;

import io.cdisync.braze.Secret;
import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.JdbcUrls;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

/** {@link ConnectionFactory#of(String, String, Secret)}: DriverManager with user and password as properties. */
public final class DriverManagerConnections implements ConnectionFactory {
    private final String url;
    private final String user;
    private final Secret password;

    public DriverManagerConnections(String url, String user, Secret password) {
        this.url = Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("not a JDBC URL (it must start with jdbc:): " + JdbcUrls.redact(url));
        }
        this.user = user;
        this.password = password;
    }

    @Override
    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password.reveal());
        }
        return DriverManager.getConnection(url, properties);
    }

    @Override
    public String target() {
        return JdbcUrls.target(url);
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String redact(String text) {
        String redacted = JdbcUrls.redact(text);
        return password == null ? redacted : password.redact(redacted);
    }

    @Override
    public String toString() {
        return "ConnectionFactory{" + JdbcUrls.redact(url) + (user == null ? "" : ", user=" + user) + "}";
    }
}
