package io.cdisync.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.braze.Secret;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test server itself: a real PostgreSQL from Maven's binaries, on 127.0.0.1, that checks passwords. */
@ExtendWith(PostgresServer.class)
class PostgresServerTest {
    @Test
    void isARealPostgresqlThatRunsFromTheEmbeddedBinaries(PostgresServer pg) throws SQLException {
        try (Connection c = pg.connections().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version(), current_user, current_database(), inet_server_addr()::text")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("PostgreSQL ");
            assertThat(rs.getString(2)).isEqualTo(pg.user());
            assertThat(rs.getString(3)).isEqualTo("cdi");
            assertThat(rs.getString(4)).startsWith("127.0.0.1");
        }
        assertThat(pg.url()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/cdi");
    }

    @Test
    void refusesAWrongPasswordAndStoresPasswordsAsMd5(PostgresServer pg) throws SQLException {
        assertThatThrownBy(() -> pg.connectionsAs(pg.user(), Secret.of("not-the-password-1")).connect())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
        assertThatThrownBy(() -> pg.connectionsAs("postgres", Secret.of("postgres")).connect()).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));

        pg.createUser("cdi_server_test_user", Secret.of("server-test-pw-1"));
        try (Connection c = pg.connectionsAs("cdi_server_test_user", Secret.of("server-test-pw-1")).connect();
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW password_encryption")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("md5");
        }
    }
}
