package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.r2dbc.connection.init.ScriptUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Brings the database's schema to this release's version at start: the numbered scripts
 * {@code <location>/<dialect>/V<n>__<what>.sql} are applied in order, each in one transaction together with its
 * row in {@code schema_version}, so a crash leaves the database at a whole version. A database whose version is
 * newer than the newest script was written by a newer release and is refused, not guessed at. A SQLite database
 * from before versioning (tables, no {@code schema_version}) is at version 1, which is exactly that schema.
 * On PostgreSQL every migration transaction first takes a transaction-scoped advisory lock, so that servers
 * starting together on one database migrate one after the other (SQLite's single writer does that by itself).
 */
public final class SchemaMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);
    /** The advisory lock's key: any fixed number no other user of the database takes ("SpiderPg" in ASCII). */
    private static final long MIGRATION_LOCK = 0x5370696465725067L;
    private static final Pattern SCRIPT_NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

    /** One numbered script. */
    record Script(int version, String description, Resource resource, long checksum) {
    }

    private final ConnectionFactory connections;
    private final String dialect;
    private final List<Script> scripts;
    private final Clock clock;

    /** @param location a classpath folder holding one folder of scripts per dialect, e.g. {@code db/migration} */
    public SchemaMigrations(ConnectionFactory connections, String location, Clock clock) {
        this.connections = connections;
        this.dialect = connections.getMetadata().getName().toLowerCase(Locale.ROOT);
        this.scripts = load(location + "/" + dialect);
        this.clock = clock;
    }

    /** The newest version this release knows. */
    public int latestVersion() {
        return scripts.get(scripts.size() - 1).version();
    }

    /** Applies what is missing; emits the version the database is at afterwards. */
    public Mono<Integer> migrate() {
        return inTransaction(this::prepareVersionTable)
                .then(Flux.fromIterable(scripts).concatMap(script -> inTransaction(c -> applyIfMissing(c, script))).then())
                .then(Mono.usingWhen(connections.create(), this::currentVersion, Connection::close));
    }

    /** Creates {@code schema_version}; a database from before versioning is recorded as version 1 (a baseline). */
    private Mono<Void> prepareVersionTable(Connection connection) {
        Mono<Void> create = update(connection, """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version    INTEGER PRIMARY KEY,
                    script     TEXT    NOT NULL,
                    checksum   BIGINT  NOT NULL,
                    applied_at TEXT    NOT NULL
                )""");
        return create.then(currentVersion(connection)).flatMap(version -> {
            if (version > 0 || !dialect.equals("sqlite")) {
                return Mono.empty();
            }
            return single(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'jobs'")
                    .filter(tables -> tables > 0)
                    .flatMap(tables -> {
                        LOG.info("the database predates schema versions; recording it as version 1");
                        return record(connection, scripts.get(0), "baseline: " + scripts.get(0).resource().getFilename());
                    });
        });
    }

    private Mono<Void> applyIfMissing(Connection connection, Script script) {
        // Read inside the transaction: a second server starting on the same file waits for the first one's write.
        return currentVersion(connection).flatMap(version -> {
            if (version > latestVersion()) {
                return Mono.error(new IllegalStateException("The database is at schema version " + version
                        + ", newer than this SpiderPig knows (" + latestVersion() + "): a newer release has used it."
                        + " Run that release, or restore a backup made by this one (see docs/operations.md)."));
            }
            if (version >= script.version()) {
                return verifyChecksum(connection, script);
            }
            if (version != script.version() - 1) {
                return Mono.error(new IllegalStateException("schema version " + version + " cannot be followed by "
                        + script.resource().getFilename()));
            }
            LOG.info("migrating the database to schema version {} ({})", script.version(), script.description());
            return ScriptUtils.executeSqlScript(connection, script.resource())
                    .then(record(connection, script, script.resource().getFilename()));
        });
    }

    private Mono<Void> verifyChecksum(Connection connection, Script script) {
        return single(connection, "SELECT checksum FROM schema_version WHERE version = " + script.version())
                .filter(stored -> stored != script.checksum())
                .doOnNext(stored -> LOG.warn("{} was changed after it was applied to this database (checksum {} then,"
                        + " {} now); released scripts must not change", script.resource().getFilename(), stored,
                        script.checksum()))
                .then();
    }

    private Mono<Void> record(Connection connection, Script script, String what) {
        return Flux.from(connection.createStatement(
                        "INSERT INTO schema_version (version, script, checksum, applied_at) VALUES ($1, $2, $3, $4)")
                        .bind(0, script.version())
                        .bind(1, what)
                        .bind(2, script.checksum())
                        .bind(3, clock.instant().toString())
                        .execute())
                .flatMap(Result::getRowsUpdated)
                .then();
    }

    private Mono<Integer> currentVersion(Connection connection) {
        return single(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version").map(Long::intValue);
    }

    private Mono<Void> inTransaction(java.util.function.Function<Connection, Mono<Void>> work) {
        return Mono.usingWhen(connections.create(),
                connection -> Mono.from(connection.beginTransaction())
                        .then(serialize(connection))
                        .then(work.apply(connection))
                        .then(Mono.from(connection.commitTransaction()))
                        .onErrorResume(error -> Mono.from(connection.rollbackTransaction()).then(Mono.error(error))),
                Connection::close);
    }

    /** Waits for any other server's migration transaction on the same database to end. */
    private Mono<Void> serialize(Connection connection) {
        if (!dialect.equals("postgresql")) {
            return Mono.empty();
        }
        return Flux.from(connection.createStatement("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")").execute())
                .flatMap(result -> result.map(row -> true))
                .then();
    }

    private static Mono<Void> update(Connection connection, String sql) {
        return Flux.from(connection.createStatement(sql).execute()).flatMap(Result::getRowsUpdated).then();
    }

    private static Mono<Long> single(Connection connection, String sql) {
        return Flux.from(connection.createStatement(sql).execute())
                .flatMap(result -> result.map(row -> row.get(0, Long.class)))
                .next();
    }

    private static List<Script> load(String folder) {
        try {
            List<Script> found = new ArrayList<>();
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:" + folder + "/V*.sql")) {
                Matcher name = SCRIPT_NAME.matcher(resource.getFilename());
                if (!name.matches()) {
                    throw new IllegalStateException("migration script " + resource + " is not named V<n>__<what>.sql");
                }
                CRC32 crc = new CRC32();
                crc.update(resource.getContentAsByteArray());
                found.add(new Script(Integer.parseInt(name.group(1)), name.group(2).replace('_', ' '), resource,
                        crc.getValue()));
            }
            found.sort(Comparator.comparingInt(Script::version));
            for (int i = 0; i < found.size(); i++) {
                if (found.get(i).version() != i + 1) {
                    throw new IllegalStateException("migration scripts in " + folder + " must be numbered 1, 2, 3 …"
                            + " without gaps; found " + found.stream().map(Script::version).toList());
                }
            }
            if (found.isEmpty()) {
                throw new IllegalStateException("no migration scripts in classpath:" + folder);
            }
            return List.copyOf(found);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the migration scripts in " + folder, e);
        }
    }
}
