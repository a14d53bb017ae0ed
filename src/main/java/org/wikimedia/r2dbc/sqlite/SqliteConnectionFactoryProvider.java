package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.ConnectionFactoryProvider;
import io.r2dbc.spi.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the driver for {@code r2dbc:sqlite:...} URLs:
 * <ul>
 *   <li>{@code r2dbc:sqlite:///absolute/path.db} – an absolute file path;</li>
 *   <li>{@code r2dbc:sqlite://./relative/path.db} or {@code r2dbc:sqlite://dir/file.db} – relative to the working
 *       directory (the URL's host is the first path segment);</li>
 *   <li>{@code r2dbc:sqlite:memory://name} or {@code r2dbc:sqlite:///:memory:} – a private in-memory database.</li>
 * </ul>
 * Options (URL query or {@link ConnectionFactoryOptions}): {@code busyTimeout} ({@code 5s}, {@code PT5S} or
 * milliseconds), {@code journalMode}, {@code synchronous}, {@code readOnly}, {@code readers},
 * {@code statementCacheSize}, {@code jmxName} (publishes a {@link SqliteEngineMXBean}); the standard {@code lockWaitTimeout} also sets the busy timeout.
 */
public final class SqliteConnectionFactoryProvider implements ConnectionFactoryProvider {

    public static final String DRIVER = "sqlite";

    public static final Option<Object> BUSY_TIMEOUT = Option.valueOf("busyTimeout");
    public static final Option<Object> JOURNAL_MODE = Option.valueOf("journalMode");
    public static final Option<Object> SYNCHRONOUS = Option.valueOf("synchronous");
    public static final Option<Object> READ_ONLY = Option.valueOf("readOnly");
    public static final Option<Object> READERS = Option.valueOf("readers");
    public static final Option<Object> STATEMENT_CACHE_SIZE = Option.valueOf("statementCacheSize");
    public static final Option<Object> JMX_NAME = Option.valueOf("jmxName");

    /** Standard options that make no sense for an embedded database but that frameworks may pass along. */
    private static final Set<String> IGNORED = Set.of("driver", "protocol", "host", "database", "user", "password",
        "connectTimeout", "statementTimeout", "ssl", "lockWaitTimeout",
        // r2dbc-pool passes its own options on to the driver it wraps
        "initialSize", "maxSize", "minIdle", "maxIdleTime", "maxLifeTime", "maxCreateConnectionTime",
        "maxAcquireTime", "maxValidationTime", "acquireRetry", "validationQuery", "validationDepth",
        "backgroundEvictionInterval", "poolName", "registerJmx", "warmup");
    private static final Set<String> KNOWN = Set.of("busyTimeout", "journalMode", "synchronous", "readOnly",
        "readers", "statementCacheSize", "jmxName");

    @Override
    public SqliteConnectionFactory create(ConnectionFactoryOptions options) {
        return new SqliteConnectionFactory(toConfiguration(options));
    }

    @Override
    public boolean supports(ConnectionFactoryOptions options) {
        return DRIVER.equals(options.getValue(ConnectionFactoryOptions.DRIVER));
    }

    @Override
    public String getDriver() {
        return DRIVER;
    }

    static SqliteConfiguration toConfiguration(ConnectionFactoryOptions options) {
        SqliteConfiguration.Builder builder = SqliteConfiguration.builder();
        String protocol = string(options, ConnectionFactoryOptions.PROTOCOL);
        String host = string(options, ConnectionFactoryOptions.HOST);
        String database = string(options, ConnectionFactoryOptions.DATABASE);
        if ("memory".equals(protocol) || "mem".equals(protocol)) {
            builder.inMemory(host != null ? host : database != null ? database : "default");
        } else if (protocol != null && !"file".equals(protocol)) {
            throw new IllegalArgumentException("Unknown SQLite protocol '" + protocol
                + "': use r2dbc:sqlite:///abs/path.db, r2dbc:sqlite://./rel/path.db or r2dbc:sqlite:memory://name");
        } else if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("SQLite URL names no database file: use r2dbc:sqlite:///abs/path.db, "
                + "r2dbc:sqlite://./rel/path.db or r2dbc:sqlite:memory://name");
        } else if (database.equals(":memory:") || database.equals("/:memory:")) {
            builder.inMemory("default");
        } else if (host == null || host.isEmpty()) {
            builder.path(Path.of(database.startsWith("/") ? database : "/" + database));
        } else {
            builder.path(Path.of(host, database));
        }
        if (options.hasOption(ConnectionFactoryOptions.PORT)) {
            throw new IllegalArgumentException("SQLite URLs take no port: " + options.getValue(ConnectionFactoryOptions.PORT));
        }
        Object lockWait = options.getValue(ConnectionFactoryOptions.LOCK_WAIT_TIMEOUT);
        if (lockWait != null) {
            builder.busyTimeout(duration("lockWaitTimeout", lockWait));
        }
        Object value;
        if ((value = options.getValue(BUSY_TIMEOUT)) != null) {
            builder.busyTimeout(duration("busyTimeout", value));
        }
        if ((value = options.getValue(JOURNAL_MODE)) != null) {
            builder.journalMode(value.toString());
        }
        if ((value = options.getValue(SYNCHRONOUS)) != null) {
            builder.synchronous(value.toString());
        }
        if ((value = options.getValue(READ_ONLY)) != null) {
            builder.readOnly(bool("readOnly", value));
        }
        if ((value = options.getValue(READERS)) != null) {
            builder.readers(integer("readers", value));
        }
        if ((value = options.getValue(STATEMENT_CACHE_SIZE)) != null) {
            builder.statementCacheSize(integer("statementCacheSize", value));
        }
        if ((value = options.getValue(JMX_NAME)) != null) {
            builder.jmxName(value.toString());
        }
        rejectUnknownOptions(options);
        return builder.build();
    }

    private static void rejectUnknownOptions(ConnectionFactoryOptions options) {
        // ConnectionFactoryOptions has no way to list its options; its toString is the only view of them.
        String text = options.toString();
        int open = text.indexOf("{options={");
        if (open < 0) {
            return;
        }
        String body = text.substring(open + "{options={".length(), text.lastIndexOf("}}"));
        for (String entry : body.split(", (?=[A-Za-z0-9_.\\-]+=)")) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = entry.substring(0, eq);
            if (!IGNORED.contains(name) && !KNOWN.contains(name)) {
                throw new IllegalArgumentException("Unknown SQLite option '" + name + "'; known options: " + KNOWN);
            }
        }
    }

    private static String string(ConnectionFactoryOptions options, Option<?> option) {
        Object value = options.getValue(option);
        return value == null ? null : value.toString();
    }

    static Duration duration(String name, Object value) {
        if (value instanceof Duration) {
            return (Duration) value;
        }
        if (value instanceof Number) {
            return Duration.ofMillis(((Number) value).longValue());
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        try {
            if (text.matches("\\d+")) {
                return Duration.ofMillis(Long.parseLong(text));
            }
            if (text.matches("\\d+ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.matches("\\d+s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            if (text.matches("\\d+m")) {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("Option " + name + " must be a duration such as 5000, 5s or PT5S, was '"
                + value + "'", e);
        }
    }

    private static boolean bool(String name, Object value) {
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException("Option " + name + " must be true or false, was '" + value + "'");
    }

    private static int integer(String name, Object value) {
        if (value instanceof Number) {
            return ((Number) value).intValue();
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Option " + name + " must be an integer, was '" + value + "'", e);
        }
    }
}
