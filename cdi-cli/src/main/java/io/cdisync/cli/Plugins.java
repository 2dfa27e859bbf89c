package io.cdisync.cli;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.logging.Logger;
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
        if (jars.isEmpty()) {
            return parent;
        }
        URLClassLoader plugins = new URLClassLoader(jars.toArray(URL[]::new), parent);
        registerDrivers(plugins);
        return plugins;
    }

    /**
     * DriverManager only hands out drivers visible from the caller's class loader and registered from it:
     * JDBC drivers in plugin jars are registered through a shim loaded by cdi's own class loader.
     */
    private static void registerDrivers(ClassLoader plugins) {
        for (Driver driver : ServiceLoader.load(Driver.class, plugins)) {
            if (driver.getClass().getClassLoader() == plugins) {
                try {
                    DriverManager.registerDriver(new DriverShim(driver));
                } catch (SQLException e) {
                    System.err.println("cdi: warning: cannot register JDBC driver " + driver.getClass().getName() + ": " + e.getMessage());
                }
            }
        }
    }

    /** Delegates to a driver loaded from a plugin jar. */
    private record DriverShim(Driver driver) implements Driver {
        @Override
        public Connection connect(String url, Properties info) throws SQLException {
            return driver.connect(url, info);
        }

        @Override
        public boolean acceptsURL(String url) throws SQLException {
            return driver.acceptsURL(url);
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
            return driver.getPropertyInfo(url, info);
        }

        @Override
        public int getMajorVersion() {
            return driver.getMajorVersion();
        }

        @Override
        public int getMinorVersion() {
            return driver.getMinorVersion();
        }

        @Override
        public boolean jdbcCompliant() {
            return driver.jdbcCompliant();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return driver.getParentLogger();
        }
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
