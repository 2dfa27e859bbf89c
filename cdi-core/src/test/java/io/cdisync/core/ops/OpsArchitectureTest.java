package io.cdisync.core.ops;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The operating API is built on the public API only, and keeps its own internals to itself. */
class OpsArchitectureTest {
    static final JavaClasses CORE = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cdisync.core");

    @Test
    void opsUsesNoEngineInternals() {
        noClasses().that().resideInAPackage("io.cdisync.core.ops..").should().dependOnClassesThat()
                .resideInAnyPackage("io.cdisync.core.internal..", "io.cdisync.core.jdbc.internal..")
                .because("operating syncs wraps SyncRunner, SyncListener and the SPI, like a host would").check(CORE);
    }

    @Test
    void onlyOpsUsesItsInternals() {
        noClasses().that().resideOutsideOfPackage("io.cdisync.core.ops..").should().dependOnClassesThat()
                .resideInAPackage("io.cdisync.core.ops.internal..")
                .because("io.cdisync.core.ops.internal is not API; use Integrations, IntegrationRunner, RunLog and Notifier").check(CORE);
    }
}
