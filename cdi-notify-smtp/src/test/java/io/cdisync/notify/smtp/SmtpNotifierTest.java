package io.cdisync.notify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.cdisync.braze.Secret;
import io.cdisync.core.ops.Alert;
import io.cdisync.core.ops.OpsException;
import io.cdisync.core.ops.RunRecord;
import io.cdisync.core.ops.RunStatus;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SmtpNotifier} against GreenMail, a real SMTP server on 127.0.0.1 with a login. */
class SmtpNotifierTest {
    static final String PASSWORD = "smtp-pw-7Hq2";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@example.com", "alerts", PASSWORD))
            .withPerMethodLifecycle(true);

    static SmtpNotifier.Builder notifier() {
        return SmtpNotifier.builder().host("127.0.0.1").port(SMTP.getSmtp().getPort()).security(SmtpNotifier.Security.NONE)
                .username("alerts").password(Secret.of(PASSWORD)).from("cdi alerts <alerts@example.com>").timeout(Duration.ofSeconds(5));
    }

    static Alert alert(Alert.Kind kind, List<String> recipients) {
        RunRecord run = new RunRecord("run-1", "users", RunRecord.Kind.SYNC, RunStatus.SUCCESS, 3, 3, 0, 0, null,
                Instant.parse("2026-01-01T00:00:00Z"), Duration.ofSeconds(1), null);
        return new Alert(kind, "users", recipients, run, "[cdi] users: " + kind + " — é", "line one\nline two: ünïcode");
    }

    @Test
    void eachKindOfAlertIsOneMessageToEveryContact() throws Exception {
        SmtpNotifier smtp = notifier().build();
        for (Alert.Kind kind : Alert.Kind.values()) {
            smtp.send(alert(kind, List.of("data-team@example.com", "oncall@example.com")));
        }
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(2 * Alert.Kind.values().length); // one copy per recipient mailbox
        MimeMessage first = received[0];
        assertThat(first.getSubject()).isEqualTo("[cdi] users: GLOBAL_ERROR — é");
        assertThat(Arrays.stream(first.getRecipients(Message.RecipientType.TO)).map(Object::toString))
                .containsExactly("data-team@example.com", "oncall@example.com");
        assertThat(first.getFrom()[0].toString()).isEqualTo("cdi alerts <alerts@example.com>");
        assertThat(first.getHeader("X-Cdi-Alert")[0]).isEqualTo("GLOBAL_ERROR users");
        assertThat(GreenMailUtil.getBody(first)).contains("line two: =C3=BCn=C3=AFcode");
        assertThat(first.getContent().toString().strip()).isEqualTo("line one\nline two: ünïcode".replace("\n", "\r\n"));
        assertThat(Arrays.stream(received).map(m -> {
            try {
                return m.getHeader("X-Cdi-Alert")[0];
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).distinct()).containsExactly("GLOBAL_ERROR users", "ROW_ERRORS_ABOVE_THRESHOLD users", "SUCCESS users", "NO_ROWS_CHANGED users");
    }

    @Test
    void aRefusedLoginIsANotificationFailureWithoutThePassword() {
        SmtpNotifier wrong = notifier().password(Secret.of("not-the-password-31")).build();
        assertThatThrownBy(() -> wrong.send(alert(Alert.Kind.GLOBAL_ERROR, List.of("a@example.com"))))
                .isInstanceOf(OpsException.NotificationFailed.class)
                .hasMessageStartingWith("SMTP server 127.0.0.1:" + SMTP.getSmtp().getPort() + " did not take the GLOBAL_ERROR alert on users:")
                .hasMessageNotContaining("not-the-password-31");
        assertThat(wrong.toString()).doesNotContain("not-the-password-31");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void anAlertWithoutContactsIsNotSentAndAClosedPortFailsWithinTheTimeout() {
        notifier().build().send(alert(Alert.Kind.SUCCESS, List.of()));
        assertThat(SMTP.getReceivedMessages()).isEmpty();
        SmtpNotifier.Builder toClosedPort = notifier();
        int port = SMTP.getSmtp().getPort();
        SMTP.stop();
        assertThatThrownBy(() -> toClosedPort.build().send(alert(Alert.Kind.GLOBAL_ERROR, List.of("a@example.com"))))
                .isInstanceOf(OpsException.NotificationFailed.class).hasMessageContaining("127.0.0.1:" + port);
        assertThatThrownBy(() -> SmtpNotifier.builder().host("h").from("not an address").build())
                .hasMessage("from: 'not an address' is not an e-mail address");
    }
}
