package io.cdisync.cli;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Connector and driver jars outside {@code cdi.jar}: every {@code *.jar} in {@code plugins/} beside the
 * running jar and in each directory of the {@code CDI_PLUGINS} environment variable (path-separated).
 */
final class Plugins {
    private Plugins() {
    }

    static ClassLoader classLoader() {
        List<URL> jars = new ArrayList<>();
        for (Path dir : directories()) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(f -> jars.add(url(f)));
            } catch (IOException e) {
                System.err.println("cdi: warning: cannot list plugin directory " + dir + ": " + e.getMessage());
            }
        }
        ClassLoader parent = Plugins.class.getClassLoader();
        return jars.isEmpty() ? parent : new URLClassLoader(jars.toArray(URL[]::new), parent);
    }

    private static List<Path> directories() {
        List<Path> dirs = new ArrayList<>();
        try {
            Path self = Path.of(Plugins.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self)) {
                dirs.add(self.resolveSibling("plugins"));
            }
        } catch (URISyntaxException | SecurityException e) {
            // not running from a jar
        }
        String extra = System.getenv("CDI_PLUGINS");
        if (extra != null) {
            for (String dir : extra.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        return dirs;
    }

    private static URL url(Path file) {
        try {
            return file.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
