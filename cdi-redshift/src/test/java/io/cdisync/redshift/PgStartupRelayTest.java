package io.cdisync.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Amazon's driver straight through the relay to the real PostgreSQL: the session that PostgreSQL alone refuses
 * starts, the driver's own startup parameters are the ones dropped, and the server still checks the password.
 */
@ExtendWith(RedshiftStandIn.class)
class PgStartupRelayTest {
    final RedshiftStandIn redshift = RedshiftStandIn.shared();

    private Connection connect(String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", redshift.postgres().user());
        props.setProperty("password", password);
        props.setProperty("ssl", "false");
        return DriverManager.getConnection("jdbc:redshift://127.0.0.1:" + redshift.port() + "/" + RedshiftStandIn.DATABASE, props);
    }

    @Test
    void theDriversSessionRunsOnTheRealServerWithItsOwnStartupParametersDropped() throws SQLException {
        try (Connection c = connect(redshift.postgres().password().reveal()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_user, current_database(), inet_server_port(), version()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(redshift.postgres().user());
            assertThat(rs.getString(2)).isEqualTo(RedshiftStandIn.DATABASE);
            assertThat(rs.getInt(3)).isEqualTo(redshift.postgres().port());
            assertThat(rs.getString(4)).startsWith("PostgreSQL ");
        }
        assertThat(redshift.droppedStartupParameters())
                .contains("driver_version", "os_version", "client_protocol_version")
                .doesNotContainAnyElementsOf(PgStartupRelay.ACCEPTED);
    }

    @Test
    void aWrongPasswordIsRefusedByTheServer() {
        assertThatThrownBy(() -> connect("not-the-password-77").close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }
}
