package io.cdisync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After a test class, scans everything the suite logged (this module's slf4j log file, and any child JVM
 * logs registered with {@link #scanAlso(Path)}) for the API keys and passwords the tests used: none may appear.
 */
public final class NoSecretsInLogs implements AfterAllCallback {
    static final Path LOG = Path.of("target", "test-logs.txt");
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static final Set<Path> EXTRA = ConcurrentHashMap.newKeySet();

    static {
        SECRETS.addAll(List.of(FakeBraze.DEFAULT_API_KEY, "wrong-key-123", "another-secret-key"));
    }

    /** Adds a secret a test used (a password, a token). */
    public static void secret(String value) {
        SECRETS.add(value);
    }

    /** Adds a log file (a child JVM's output) to the scan. */
    public static void scanAlso(Path file) {
        EXTRA.add(file);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        assertClean(context.getDisplayName());
    }

    /** Scans now; for engines other than Jupiter (jqwik), call it from an after-container hook. */
    public static void assertClean(String after) throws IOException {
        for (Path file : Stream.concat(Stream.of(LOG), EXTRA.stream()).toList()) {
            if (!Files.exists(file)) {
                continue;
            }
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            for (String secret : SECRETS) {
                assertThat(text).as("secret found in " + file + " after " + after).doesNotContain(secret);
            }
        }
        EXTRA.clear();
    }
}
