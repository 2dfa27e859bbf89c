package io.cdisync.databricks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Layering rules: cdi-databricks builds on cdi-core's public API only, and its API hides the driver. */
class ArchitectureTest {
    static final JavaClasses MODULE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cdisync.databricks");

    @Test
    void usesNoInternalsOfOtherModules() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.cdisync.core.internal..",
                        "io.cdisync.core.jdbc.internal..", "io.cdisync.braze.internal..")
                .because("other modules' internal packages are not API; use JdbcSource, SqlDialect, ConnectionFactory,"
                        + " JdbcErrors and the SPI")
                .check(MODULE);
    }

    @Test
    void thePublicApiKeepsTheDriverInside() {
        noClasses().that().resideInAPackage("io.cdisync.databricks")
                .should().dependOnClassesThat().resideInAnyPackage("com.databricks..")
                .because("users configure the source with cdi's types; the driver is a detail of io.cdisync.databricks.internal")
                .check(MODULE);
    }
}
