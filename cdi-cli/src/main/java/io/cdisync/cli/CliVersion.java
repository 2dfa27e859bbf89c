package io.cdisync.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** {@code cdi --version}: the project version, written into {@code version.txt} when the jar is built. */
final class CliVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"cdi " + version()};
    }

    static String version() {
        try (InputStream in = CliVersion.class.getResourceAsStream("version.txt")) {
            if (in == null) {
                return "(unknown version)";
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "(unknown version)";
        }
    }
}
