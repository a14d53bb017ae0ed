package org.wikimedia.r2dbc.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How to open one SQLite database. Build it with {@link #builder()}, or let {@link SqliteConnectionFactoryProvider}
 * derive it from an R2DBC URL.
 */
public final class SqliteConfiguration {

    /** Journal modes SQLite accepts for {@code PRAGMA journal_mode}. */
    static final Set<String> JOURNAL_MODES = Set.of("WAL", "DELETE", "TRUNCATE", "PERSIST", "MEMORY", "OFF");
    static final Set<String> SYNCHRONOUS_MODES = Set.of("OFF", "NORMAL", "FULL", "EXTRA");

    private final Path path;
    private final String memoryName;
    private final Duration busyTimeout;
    private final String journalMode;
    private final String synchronous;
    private final boolean readOnly;
    private final int readers;
    private final int statementCacheSize;
    private final String jmxName;

    private SqliteConfiguration(Builder b) {
        this.path = b.path;
        this.memoryName = b.memoryName;
        this.busyTimeout = b.busyTimeout;
        this.journalMode = b.journalMode;
        this.synchronous = b.synchronous;
        this.readOnly = b.readOnly;
        this.readers = b.readers;
        this.statementCacheSize = b.statementCacheSize;
        this.jmxName = b.jmxName;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The database file, or {@code null} for an in-memory database. */
    public Path path() {
        return path;
    }

    public boolean inMemory() {
        return path == null;
    }

    public String memoryName() {
        return memoryName;
    }

    public Duration busyTimeout() {
        return busyTimeout;
    }

    public String journalMode() {
        return journalMode;
    }

    public String synchronous() {
        return synchronous;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /**
     * Read-only connections that serve plain queries outside transactions. Zero when the database cannot have
     * readers beside the writer: in memory, or a journal mode other than WAL.
     */
    public int readers() {
        if (inMemory() || !"WAL".equals(journalMode)) {
            return 0;
        }
        return readers;
    }

    public int statementCacheSize() {
        return statementCacheSize;
    }

    /** The name of the engine's {@link SqliteEngineMXBean} in the platform MBean server, or null for none. */
    public String jmxName() {
        return jmxName;
    }

    /** A short name for thread names. */
    String displayName() {
        if (inMemory()) {
            return "memory-" + memoryName;
        }
        return String.valueOf(path.getFileName());
    }

    @Override
    public String toString() {
        return "SqliteConfiguration{" + (inMemory() ? ":memory:" + memoryName : path) + ", busyTimeout=" + busyTimeout
            + ", journalMode=" + journalMode + ", synchronous=" + synchronous + ", readOnly=" + readOnly
            + ", readers=" + readers() + '}';
    }

    public static final class Builder {
        private Path path;
        private String memoryName = "default";
        private Duration busyTimeout = Duration.ofSeconds(10);
        private String journalMode = "WAL";
        private String synchronous = "NORMAL";
        private boolean readOnly;
        private int readers = 4;
        private int statementCacheSize = 64;
        private String jmxName;

        private Builder() {
        }

        /** The database file; relative paths resolve against the working directory. */
        public Builder path(Path path) {
            this.path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
            return this;
        }

        /** A private in-memory database, living as long as the connection factory. */
        public Builder inMemory(String name) {
            this.path = null;
            this.memoryName = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder busyTimeout(Duration busyTimeout) {
            if (busyTimeout == null || busyTimeout.isNegative()) {
                throw new IllegalArgumentException("busyTimeout must be zero or positive, was " + busyTimeout);
            }
            this.busyTimeout = busyTimeout;
            return this;
        }

        public Builder journalMode(String journalMode) {
            String mode = Objects.requireNonNull(journalMode, "journalMode").toUpperCase(Locale.ROOT);
            if (!JOURNAL_MODES.contains(mode)) {
                throw new IllegalArgumentException("journalMode must be one of " + JOURNAL_MODES + ", was '"
                    + journalMode + "'");
            }
            this.journalMode = mode;
            return this;
        }

        public Builder synchronous(String synchronous) {
            String mode = Objects.requireNonNull(synchronous, "synchronous").toUpperCase(Locale.ROOT);
            if (!SYNCHRONOUS_MODES.contains(mode)) {
                throw new IllegalArgumentException("synchronous must be one of " + SYNCHRONOUS_MODES + ", was '"
                    + synchronous + "'");
            }
            this.synchronous = mode;
            return this;
        }

        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        public Builder readers(int readers) {
            if (readers < 0 || readers > 64) {
                throw new IllegalArgumentException("readers must be between 0 and 64, was " + readers);
            }
            this.readers = readers;
            return this;
        }

        public Builder statementCacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("statementCacheSize must not be negative, was " + size);
            }
            this.statementCacheSize = size;
            return this;
        }

        /**
         * Publishes the engine's queue and wait figures as an MXBean named
         * {@code org.wikimedia.r2dbc.sqlite:type=Engine,name=<jmxName>}, so that an application can export them
         * without depending on this driver.
         */
        public Builder jmxName(String jmxName) {
            if (jmxName != null && jmxName.isBlank()) {
                throw new IllegalArgumentException("jmxName must not be blank");
            }
            this.jmxName = jmxName;
            return this;
        }

        public SqliteConfiguration build() {
            return new SqliteConfiguration(this);
        }
    }
}
