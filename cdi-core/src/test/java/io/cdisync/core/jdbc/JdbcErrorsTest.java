package io.cdisync.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import org.junit.jupiter.api.Test;

/** The classifier on driver exceptions as drivers build them (SQLState, cause), without a database. */
class JdbcErrorsTest {
    static final Secret PASSWORD = Secret.of("Tr0ub4dor&3");
    final JdbcErrors errors = JdbcErrors.of(ConnectionFactory.of("jdbc:postgresql://db.example.com:5432/w?ssl=true", "cdi", PASSWORD));

    CdiException classify(SQLException e) {
        return errors.classify(e, "public.users", "reading public.users");
    }

    @Test
    void mapsEachSqlStateClassToWhatTheUserMustDo() {
        assertThat(classify(new SQLException("FATAL: password authentication failed for user \"cdi\"", "28P01")))
                .isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageStartingWith("authentication failed for user cdi on db.example.com:5432: check the user and password");
        assertThat(classify(new SQLException("ERROR: permission denied for table users", "42501")))
                .isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageStartingWith("missing grant: GRANT SELECT ON public.users TO cdi");
        assertThat(classify(new SQLException("ERROR: relation \"users\" does not exist", "42P01")))
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageStartingWith("table public.users does not exist");
        assertThat(classify(new SQLException("Table not found", "42S02"))).isInstanceOf(CdiException.ConfigurationError.class);
        assertThat(classify(new SQLException("Connection refused", "08001", new ConnectException("Connection refused"))))
                .isInstanceOf(CdiException.ConnectionFailed.class)
                .hasMessageStartingWith("cannot reach db.example.com:5432: connection refused");
        assertThat(classify(new SQLException("The connection attempt failed.", null, new UnknownHostException("db.example.com"))))
                .isInstanceOf(CdiException.ConnectionFailed.class).hasMessageStartingWith("cannot reach db.example.com:5432: unknown host");
        assertThat(classify(new SQLException("terminating connection due to administrator command", "57P01")))
                .isInstanceOf(CdiException.ConnectionFailed.class);
        CdiException timeout = classify(new SQLException("ERROR: canceling statement due to statement timeout", "57014"));
        assertThat(timeout.retryable()).isTrue();
        assertThat(timeout).hasMessageContaining("cancelled or timed out");
        assertThat(classify(new SQLTransientException("busy")).retryable()).isTrue();
        CdiException other = classify(new SQLException("ERROR: division by zero", "22012"));
        assertThat(other.getClass()).isEqualTo(CdiException.class);
        assertThat(other.retryable()).isFalse();
        assertThat(other).hasMessage("reading public.users failed on db.example.com:5432: ERROR: division by zero (SQLState 22012)");
    }

    @Test
    void thePasswordIsRedactedFromMessagesAndCauses() {
        SQLException e = new SQLException("login as cdi with " + PASSWORD.reveal() + " refused", "28000",
                new IllegalStateException("url jdbc:x://cdi:" + PASSWORD.reveal() + "@h/w?password=" + PASSWORD.reveal()));
        CdiException classified = classify(e);
        for (Throwable t = classified; t != null; t = t.getCause()) {
            assertThat(t.toString()).doesNotContain(PASSWORD.reveal());
        }
        assertThat(classified.getCause().getStackTrace()).isEqualTo(e.getStackTrace());
        assertThat(classified.getCause().getCause()).hasMessageContaining("IllegalStateException");
    }

    @Test
    void aUserFromTheConnectionOrTheMessageIsNamedWhenTheFactoryKnowsNone() {
        JdbcErrors anonymous = JdbcErrors.of(() -> null);
        assertThat(anonymous.classify(new SQLException("password authentication failed for user \"etl\"", "28P01"), null, "x"))
                .hasMessageStartingWith("authentication failed for user etl on the database");
        assertThat(anonymous.withUser("loader").classify(new SQLException("denied", "42501"), "s.t", "x"))
                .hasMessageStartingWith("missing grant: GRANT SELECT ON s.t TO loader");
    }
}
