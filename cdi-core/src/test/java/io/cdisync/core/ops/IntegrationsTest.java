package io.cdisync.core.ops;

import static io.cdisync.core.ops.OpsFixtures.CLOCK;
import static io.cdisync.core.ops.OpsFixtures.integration;
import static io.cdisync.core.ops.OpsFixtures.warehouse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.core.DataType;
import io.cdisync.core.schedule.Schedule;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lifecycle rules of contract section 7, on the in-memory store (the persistent stores run the same service). */
class IntegrationsTest {
    Integrations integrations;

    @BeforeEach
    void setUp() {
        integrations = new Integrations(new InMemoryIntegrationStore(), CLOCK);
        integrations.putCredentials(warehouse("warehouse"));
    }

    @Test
    void aNewIntegrationIsADraftAndBecomesActiveOnlyWithAPassingConnectionTest() {
        integrations.create(integration("users", "warehouse", "ingestion.users").build());
        assertThat(integrations.get("users").state()).isEqualTo(IntegrationState.DRAFT);

        assertRefused(() -> integrations.activate("users", OpsFixtures.failing("missing grant: GRANT SELECT ON ingestion.users TO braze")),
                OpsException.Rule.CONNECTION_TEST_FAILED)
                .hasMessage("integration users stays DRAFT: its connection test failed: missing grant: GRANT SELECT ON"
                        + " ingestion.users TO braze");
        Integration draft = integrations.get("users");
        assertThat(draft.state()).isEqualTo(IntegrationState.DRAFT);
        assertThat(draft.lastConnectionTest().passed()).as("the failed test is kept for the operator").isFalse();

        Integration active = integrations.activate("users", OpsFixtures.passing());
        assertThat(active.state()).isEqualTo(IntegrationState.ACTIVE);
        assertThat(active.lastConnectionTest()).isEqualTo(ConnectionTest.passed(OpsFixtures.T0));
        assertThat(integrations.get("users")).isEqualTo(active);
    }

    @Test
    void activeAndPausedSwitchAtWillButADraftCannotBePausedOrResumed() {
        integrations.create(integration("users", "warehouse", "users").build());
        assertRefused(() -> integrations.pause("users"), OpsException.Rule.WRONG_STATE).hasMessageContaining("is a draft");
        assertRefused(() -> integrations.resume("users"), OpsException.Rule.WRONG_STATE)
                .hasMessageContaining("activate it with a passing connection test");

        integrations.activate("users", ConnectionTest.passed(OpsFixtures.T0));
        assertThat(integrations.pause("users").state()).isEqualTo(IntegrationState.PAUSED);
        assertThat(integrations.pause("users").state()).as("pausing twice is harmless").isEqualTo(IntegrationState.PAUSED);
        assertThat(integrations.resume("users").state()).as("no new test needed").isEqualTo(IntegrationState.ACTIVE);
        assertThatThrownBy(() -> integrations.create(integration("other", "warehouse", "other").state(IntegrationState.ACTIVE).build()))
                .isInstanceOf(OpsException.Refused.class).hasMessageContaining("must be created as a DRAFT");
    }

    @Test
    void theDataTypeIsFixedAtCreationWhileOtherSettingsChange() {
        integrations.create(integration("users", "warehouse", "users").build());
        assertRefused(() -> integrations.update("users", b -> b.dataType(DataType.CUSTOM_EVENTS)), OpsException.Rule.DATA_TYPE_FIXED)
                .hasMessage("the data type of integration users is fixed at creation (USER_ATTRIBUTES); create a new integration"
                        + " for CUSTOM_EVENTS");
        assertRefused(() -> integrations.update("users", b -> b.state(IntegrationState.ACTIVE)), OpsException.Rule.WRONG_STATE);

        Schedule hourly = Schedule.every(Duration.ofHours(1), ZoneId.of("Europe/Paris"));
        Integration changed = integrations.update("users", b -> b.schedule(hourly).contacts(List.of("ops@example.com"))
                .alerts(AlertSettings.GLOBAL_ERRORS_ONLY.withRowErrorPercentAbove(5)).keepFailedRowPayloads(true));
        assertThat(integrations.get("users")).isEqualTo(changed);
        assertThat(changed.schedule()).isEqualTo(hourly);
        assertThat(changed.dataType()).isEqualTo(DataType.USER_ATTRIBUTES);
    }

    @Test
    void twoIntegrationsMayNotReadTheSameTableWithTheSameCredentials() {
        integrations.putCredentials(warehouse("other-warehouse"));
        integrations.create(integration("users", "warehouse", "ingestion.users").build());

        assertRefused(() -> integrations.create(integration("users-again", "warehouse", "INGESTION.Users").build()),
                OpsException.Rule.TABLE_IN_USE)
                .hasMessage("table INGESTION.Users with credentials warehouse is already read by integration users; one integration"
                        + " per table or view (create a view to read the same data twice)")
                .satisfies(e -> assertThat(((OpsException.Refused) e).integrations()).containsExactly("users"));
        assertThat(integrations.list()).extracting(Integration::name).containsExactly("users");

        integrations.create(integration("events", "warehouse", "ingestion.events").dataType(DataType.CUSTOM_EVENTS).build());
        assertRefused(() -> integrations.update("events", b -> b.table("ingestion.users")), OpsException.Rule.TABLE_IN_USE);
        integrations.create(integration("users-elsewhere", "other-warehouse", "ingestion.users").build());
        assertThat(integrations.list()).extracting(Integration::name).containsExactly("events", "users", "users-elsewhere");
        assertRefused(() -> integrations.create(integration("users", "warehouse", "t2").build()), OpsException.Rule.NAME_TAKEN);
    }

    @Test
    void credentialsAreSharedAndCannotBeDeletedWhileAnActiveIntegrationUsesThem() {
        integrations.create(integration("users", "warehouse", "users").build());
        integrations.create(integration("events", "warehouse", "events").dataType(DataType.CUSTOM_EVENTS).build());
        integrations.create(integration("purchases", "warehouse", "purchases").dataType(DataType.PURCHASES).build());
        integrations.activate("users", ConnectionTest.passed(OpsFixtures.T0));
        integrations.activate("events", ConnectionTest.passed(OpsFixtures.T0));
        assertThat(integrations.usersOf("warehouse")).containsExactly("events", "purchases", "users");

        assertRefused(() -> integrations.deleteCredentials("warehouse"), OpsException.Rule.CREDENTIALS_IN_USE)
                .hasMessage("credentials warehouse are used by active integrations events, users; pause or delete them, or point"
                        + " them to other credentials, first")
                .satisfies(e -> assertThat(((OpsException.Refused) e).integrations()).containsExactly("events", "users"));
        assertThat(integrations.credentials("warehouse")).isPresent();

        integrations.pause("users");
        integrations.delete("events");
        integrations.deleteCredentials("warehouse"); // only a draft and a paused integration use them now
        assertThat(integrations.credentials("warehouse")).isEmpty();
        assertRefused(() -> integrations.resume("users"), OpsException.Rule.CREDENTIALS_MISSING)
                .hasMessageContaining("names credentials warehouse, which do not exist");
        assertRefused(() -> integrations.create(integration("x", "warehouse", "x").build()), OpsException.Rule.CREDENTIALS_MISSING);
        assertThatThrownBy(() -> integrations.deleteCredentials("warehouse")).isInstanceOf(OpsException.NotFound.class);
    }

    @Test
    void rotatingASecretKeepsTheIntegrationsAndNeverPrintsIt() {
        integrations.create(integration("users", "warehouse", "users").build());
        Credentials rotated = warehouse("warehouse").toBuilder().secret("password", io.cdisync.braze.Secret.of("new-secret-42")).build();
        integrations.putCredentials(rotated);
        assertThat(integrations.credentials("warehouse").orElseThrow().secrets().get("password").reveal()).isEqualTo("new-secret-42");
        assertThat(rotated.toString()).doesNotContain("new-secret-42").contains("password=****");
        Credentials inUrl = Credentials.builder().name("u").type("jdbc").setting("url", "jdbc:postgresql://h/db?password=new-secret-42")
                .secret("password", io.cdisync.braze.Secret.of("new-secret-42")).build();
        assertThat(inUrl.toString()).doesNotContain("new-secret-42");
        assertThat(integrations.get("users").credentials()).isEqualTo("warehouse");
    }

    @Test
    void unknownNamesAreNotFound() {
        assertThatThrownBy(() -> integrations.get("nope")).isInstanceOf(OpsException.NotFound.class).hasMessage("no integration named nope");
        assertThatThrownBy(() -> integrations.pause("nope")).isInstanceOf(OpsException.NotFound.class);
        assertThatThrownBy(() -> integrations.delete("nope")).isInstanceOf(OpsException.NotFound.class);
    }

    @Test
    void invalidValuesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> integration("bad name", "warehouse", "t").build()).hasMessageContaining("name 'bad name'");
        assertThatThrownBy(() -> integration("n", "warehouse", "t").contacts(List.of("not-an-address")).build())
                .hasMessage("contacts: 'not-an-address' is not an e-mail address");
        assertThatThrownBy(() -> integration("n", "warehouse", "t").dataType(DataType.CATALOG_ITEMS).build())
                .hasMessageContaining("catalog is required");
        assertThatThrownBy(() -> AlertSettings.GLOBAL_ERRORS_ONLY.withRowErrorPercentAbove(101))
                .hasMessage("rowErrorPercentAbove must be 0 to 100, was 101.0");
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
            ThrowableAssert.ThrowingCallable call, OpsException.Rule rule) {
        return assertThatThrownBy(call).isInstanceOf(OpsException.Refused.class)
                .satisfies(e -> assertThat(((OpsException.Refused) e).rule()).isEqualTo(rule));
    }
}
