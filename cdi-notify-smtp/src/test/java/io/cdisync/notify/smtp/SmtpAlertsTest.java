package io.cdisync.notify.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.Secret;
import io.cdisync.core.DataType;
import io.cdisync.core.ops.AlertSettings;
import io.cdisync.core.ops.ConnectionTest;
import io.cdisync.core.ops.Credentials;
import io.cdisync.core.ops.InMemoryIntegrationStore;
import io.cdisync.core.ops.InMemoryRunLog;
import io.cdisync.core.ops.Integration;
import io.cdisync.core.ops.IntegrationRunner;
import io.cdisync.core.ops.Integrations;
import io.cdisync.core.store.InMemoryWatermarkStore;
import io.cdisync.testkit.CdiTestExtension;
import io.cdisync.testkit.FakeBraze;
import io.cdisync.testkit.FakeTable;
import io.cdisync.testkit.FakeWarehouse;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each kind of alert, raised by real runs against the testkit's fakes, e-mailed through GreenMail on 127.0.0.1. */
@ExtendWith(CdiTestExtension.class)
class SmtpAlertsTest {
    static final String WAREHOUSE_PASSWORD = "dw-pw-Xk29";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@example.com", "alerts", "smtp-pw"))
            .withPerMethodLifecycle(true);

    @Test
    void everyKindOfAlertReachesTheContactsWithoutSecretsOrPayloads(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client)
            throws Exception {
        Integrations integrations = new Integrations(new InMemoryIntegrationStore());
        integrations.putCredentials(Credentials.builder().name("dw").type("fake").secret("password", Secret.of(WAREHOUSE_PASSWORD)).build());
        FakeTable table = warehouse.createTable("users_sync");
        integrations.create(Integration.builder().name("users").dataType(DataType.USER_ATTRIBUTES).credentials("dw").table("users_sync")
                .contacts(List.of("data-team@example.com")).alerts(AlertSettings.GLOBAL_ERRORS_ONLY.withRowErrorPercentAbove(10)
                        .withOnSuccess(true).withOnNoRowsChanged(true)).build());
        integrations.activate("users", ConnectionTest.run(warehouse.connector("users_sync"), java.time.Clock.systemUTC()));
        IntegrationRunner runner = IntegrationRunner.builder().integrations(integrations)
                .sources((integration, credentials) -> warehouse.connector(integration.table())).braze(client)
                .watermarkStore(new InMemoryWatermarkStore()).runLog(new InMemoryRunLog())
                .notifier(SmtpNotifier.builder().host("127.0.0.1").port(SMTP.getSmtp().getPort()).security(SmtpNotifier.Security.NONE)
                        .username("alerts").password(Secret.of("smtp-pw")).from("alerts@example.com").build())
                .build();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        table.insert(FakeTable.attributes(t0, "user-1", "{\"private\":\"payload-value\"}"));
        table.insert(FakeTable.attributes(t0.plusSeconds(1), "user-2", "{\"private\":"));

        runner.run("users");                      // 50% of rows failed, and rows synced
        runner.run("users");                      // nothing new
        warehouse.dropTable("users_sync");
        runner.run("users");                      // the table is gone: a global error

        MimeMessage[] mails = SMTP.getReceivedMessages();
        assertThat(Arrays.stream(mails).map(m -> header(m))).containsExactly("ROW_ERRORS_ABOVE_THRESHOLD users", "SUCCESS users",
                "NO_ROWS_CHANGED users", "GLOBAL_ERROR users");
        assertThat(mails[0].getSubject()).isEqualTo("[cdi] users: 50.0% of rows failed");
        assertThat(mails[0].getAllRecipients()[0].toString()).isEqualTo("data-team@example.com");
        assertThat(mails[3].getSubject()).isEqualTo("[cdi] users: sync failed");
        assertThat(GreenMailUtil.getBody(mails[3])).contains("table users_sync does not exist");
        for (MimeMessage mail : mails) {
            String all = GreenMailUtil.getWholeMessage(mail);
            assertThat(all).doesNotContain("payload-value").doesNotContain(WAREHOUSE_PASSWORD).doesNotContain(braze.apiKey());
        }
    }

    private static String header(MimeMessage message) {
        try {
            return message.getHeader("X-Cdi-Alert")[0];
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
