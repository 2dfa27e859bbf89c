package io.cdisync.databricks.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A connection whose {@link DatabaseMetaData#getColumns} answers each search only once per letter case.
 *
 * <p>Why: cdi-core's table lookup tries the names as given, lower-case and upper-case, and keeps every
 * column found. Databricks matches the {@code SHOW COLUMNS ... LIKE} patterns case-insensitively, so
 * {@code braze} and {@code BRAZE} both return the same columns and the table would seem to have each
 * column twice. Repeating a search that differs only in case returns no rows instead. (Remove once the
 * core lookup stops at the first variant that matched.)
 */
final class CaseInsensitiveMetadata {
    private CaseInsensitiveMetadata() {
    }

    static Connection wrap(Connection connection) {
        Set<List<String>> searched = new HashSet<>();
        return proxy(Connection.class, connection, (method, args) -> {
            if (method.getName().equals("getMetaData") && (args == null || args.length == 0)) {
                DatabaseMetaData metadata = connection.getMetaData();
                return proxy(DatabaseMetaData.class, metadata, (m, a) -> {
                    if (m.getName().equals("getColumns") && a != null && a.length == 4) {
                        List<String> key = Arrays.stream(a).map(v -> v == null ? null : v.toString().toLowerCase(Locale.ROOT)).toList();
                        synchronized (searched) {
                            if (!searched.add(key)) {
                                return emptyResultSet();
                            }
                        }
                    }
                    return NOT_HANDLED;
                });
            }
            return NOT_HANDLED;
        });
    }

    private static final Object NOT_HANDLED = new Object();

    /** A method interceptor: a value, or {@link #NOT_HANDLED} to call the target. */
    private interface Interceptor {
        Object intercept(Method method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, T target, Interceptor interceptor) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object handled = interceptor.intercept(method, args);
            if (handled != NOT_HANDLED) {
                return handled;
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(CaseInsensitiveMetadata.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    /** A result with no rows: {@code next()} is false, {@code close()} does nothing. */
    private static ResultSet emptyResultSet() {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "next", "wasNull", "isClosed" -> false;
            case "close" -> null;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "EmptyResultSet";
            default -> throw new java.sql.SQLFeatureNotSupportedException(method.getName() + " on an empty metadata result");
        };
        return (ResultSet) Proxy.newProxyInstance(CaseInsensitiveMetadata.class.getClassLoader(), new Class<?>[] {ResultSet.class}, handler);
    }
}
