package io.cdisync.redshift;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Layering rules: cdi-redshift builds on cdi-core's public API only. */
class ArchitectureTest {
    static final JavaClasses MODULE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cdisync.redshift");

    @Test
    void usesNoInternalsOfOtherModules() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.cdisync.core.internal..",
                        "io.cdisync.core.jdbc.internal..", "io.cdisync.braze.internal..")
                .because("other modules' internal packages are not API; use JdbcSource, SqlDialect, ConnectionFactory,"
                        + " JdbcErrors and the SPI")
                .check(MODULE);
    }

    @Test
    void thePublicApiKeepsTheDriverAndSshdInside() {
        noClasses().that().resideInAPackage("io.cdisync.redshift")
                .should().dependOnClassesThat().resideInAnyPackage("com.amazon.redshift..", "org.apache.sshd..")
                .because("users configure the source with cdi's types; the driver and sshd are details of"
                        + " io.cdisync.redshift.internal")
                .check(MODULE);
    }
}
