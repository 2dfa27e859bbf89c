package io.cdisync.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Layering rules that keep core small and the public API free of internals. */
class ArchitectureTest {
    static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cdisync.core");

    @Test
    void coreDependsOnNoVendorSdk() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "net.snowflake..", "com.amazon.redshift..", "com.google.cloud..", "com.databricks..",
                        "software.amazon..", "org.postgresql..", "org.duckdb..")
                .because("cdi-core must stay vendor-free; vendor code belongs in its connector module")
                .check(CORE);
    }

    @Test
    void coreDoesNotUseTheBrazeClientsInternals() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.cdisync.braze.internal..")
                .because("io.cdisync.braze.internal is not API; use BrazeClient and its request/response types")
                .check(CORE);
    }

    @Test
    void onlyTheJdbcSourceUsesItsInternals() {
        noClasses().that().resideOutsideOfPackage("io.cdisync.core.jdbc..")
                .should().dependOnClassesThat().resideInAPackage("io.cdisync.core.jdbc.internal..")
                .because("io.cdisync.core.jdbc.internal is not API; use JdbcSource, SqlDialect, ConnectionFactory and JdbcErrors")
                .check(CORE);
    }

    @Test
    void spiAndPublicTypesDoNotExposeTheEngine() {
        noClasses().that().resideInAnyPackage("io.cdisync.core.store..")
                .should().dependOnClassesThat().resideInAPackage("io.cdisync.core.internal..")
                .because("stores are written against the SPI only, like users' own stores")
                .check(CORE);
    }
}
