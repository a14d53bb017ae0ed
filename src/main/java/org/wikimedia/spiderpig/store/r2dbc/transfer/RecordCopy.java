package org.wikimedia.spiderpig.store.r2dbc.transfer;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every table of records, row for row, from the data directory's SQLite database into PostgreSQL, whatever
 * the tables are (both are at the same schema version, so they have the same tables and columns): ids are kept,
 * and each identity column's sequence is set past the highest id SQLite ever gave (its {@code sqlite_sequence},
 * which remembers deleted rows too), so that no id is given twice. In the move's transaction: either every
 * record is in PostgreSQL, or none is. Planning blocks: the command runs on its own thread, with no server.
 */
final class RecordCopy {

    /** Tables that describe the servers using a database at the moment rather than records: they start empty. */
    static final Set<String> NOT_RECORDS = Set.of("schema_version", "instances", "queue_leases");
    /** Not records of SpiderPig's either, but PostgreSQL's place for the logs (copied by {@link LogCopy}). */
    static final Set<String> TARGET_ONLY = Set.of("job_events");
    private static final int ROWS_PER_INSERT = 1000;

    private record Column(String name, String type, boolean identity) {
    }

    private final DatabaseClient source;
    private final ConnectionFactory target;
    private final Duration timeout;
    private final Map<String, List<Column>> targetTables;
    private final Map<String, List<String>> sourceColumns = new LinkedHashMap<>();
    private final boolean sourceHasSequences;
    private final List<String> tables;

    /** Reads both databases' tables and plans the copy; refuses when SQLite holds what PostgreSQL has no room for. */
    RecordCopy(DatabaseClient source, ConnectionFactory target, Duration timeout) {
        this.source = source;
        this.target = target;
        this.timeout = timeout;
        this.targetTables = targetTables();
        List<String> sourceTables = sourceTableNames();
        this.sourceHasSequences = sourceTables.contains("sqlite_sequence");
        this.tables = parentsFirst(copiedTables(sourceTables));
    }

    /** The tables copied, parents (of foreign keys) first. */
    List<String> tables() {
        return tables;
    }

    /** The tables of PostgreSQL that already hold rows (records or logs), with how many. */
    Map<String, Long> nonEmptyTargetTables() {
        Map<String, Long> counts = new LinkedHashMap<>();
        List<String> checked = new ArrayList<>(tables);
        checked.addAll(TARGET_ONLY);
        DatabaseClient db = DatabaseClient.create(target);
        for (String table : checked) {
            long rows = db.sql("SELECT COUNT(*) FROM " + table).map(row -> row.get(0, Long.class)).one().block(timeout);
            if (rows > 0) {
                counts.put(table, rows);
            }
        }
        return counts;
    }

    /** Copies every row and sets the sequences on the connection (in the caller's transaction); the rows, by table. */
    Mono<Map<String, Long>> copy(Connection connection, PrintStream progress) {
        return Mono.defer(() -> {
            Map<String, Long> copied = new LinkedHashMap<>();
            return Flux.fromIterable(tables)
                    .concatMap(table -> copyTable(connection, table).doOnNext(rows -> {
                        copied.put(table, rows);
                        progress.printf("  %-18s %,d%n", table, rows);
                    }))
                    .thenMany(Flux.fromIterable(tables).concatMap(table -> advanceSequences(connection, table)))
                    .then(Mono.fromSupplier(() -> copied));
        });
    }

    private Mono<Long> copyTable(Connection connection, String table) {
        List<Column> columns = targetTables.get(table).stream()
                .filter(column -> sourceColumns.get(table).contains(column.name()))
                .toList();
        String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
        StringBuilder unnest = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            unnest.append(i == 0 ? "" : ", ").append('$').append(i + 1).append("::").append(columns.get(i).type())
                    .append("[]");
        }
        String insert = "INSERT INTO " + table + " (" + names + ") SELECT * FROM unnest(" + unnest + ")";
        return source.sql("SELECT " + names + " FROM " + table)
                .map(row -> {
                    Object[] values = new Object[columns.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = row.get(i);
                    }
                    return values;
                })
                .all()
                .buffer(ROWS_PER_INSERT)
                .concatMap(rows -> insert(connection, insert, columns, rows))
                .reduce(0L, Long::sum);
    }

    private static Mono<Long> insert(Connection connection, String sql, List<Column> columns, List<Object[]> rows) {
        Statement statement = connection.createStatement(sql);
        for (int i = 0; i < columns.size(); i++) {
            statement.bind(i, ColumnValues.array(columns.get(i).type(), rows, i));
        }
        return Flux.from(statement.execute()).flatMap(Result::getRowsUpdated).reduce(0L, Long::sum);
    }

    /** Past SQLite's highest id, even one whose row is gone, so that a new record never takes an old one's id. */
    private Flux<Long> advanceSequences(Connection connection, String table) {
        return Flux.fromIterable(targetTables.get(table))
                .filter(Column::identity)
                .concatMap(column -> highestId(table, column.name())
                        .filter(highest -> highest > 0)
                        .flatMap(highest -> Flux.from(connection.createStatement(
                                        "SELECT setval(pg_get_serial_sequence('" + table + "', '" + column.name()
                                                + "'), $1)")
                                .bind(0, highest).execute())
                                .flatMap(result -> result.map(row -> row.get(0, Long.class)))
                                .next()));
    }

    private Mono<Long> highestId(String table, String column) {
        String sequence = sourceHasSequences
                ? "(SELECT seq FROM sqlite_sequence WHERE name = '" + table + "')" : "0";
        return source.sql("SELECT MAX(COALESCE((SELECT MAX(" + column + ") FROM " + table + "), 0), COALESCE("
                        + sequence + ", 0))")
                .map(row -> ((Number) row.get(0)).longValue())
                .one();
    }

    private List<String> copiedTables(List<String> sourceTables) {
        List<String> copied = new ArrayList<>();
        for (String table : sourceTables) {
            if (table.startsWith("sqlite_") || NOT_RECORDS.contains(table)) {
                continue;
            }
            List<Column> columns = targetTables.get(table);
            if (columns == null) {
                throw new MoveRefused("the data directory's database has a table " + table
                        + " that PostgreSQL's schema lacks: is this SpiderPig older than the one that wrote it?");
            }
            Set<String> known = columns.stream().map(Column::name).collect(Collectors.toSet());
            sourceColumns.put(table, columnsOf(table));
            for (String column : sourceColumns.get(table)) {
                if (!known.contains(column)) {
                    throw new MoveRefused("the data directory's table " + table + " has a column " + column
                            + " that PostgreSQL's schema lacks: is this SpiderPig older than the one that wrote it?");
                }
            }
            copied.add(table);
        }
        return copied;
    }

    private List<String> sourceTableNames() {
        return source.sql("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                .map(row -> row.get(0, String.class))
                .all().collectList().block(timeout);
    }

    private List<String> columnsOf(String table) {
        return source.sql("SELECT name FROM pragma_table_info('" + table.replace("'", "''") + "')")
                .map(row -> row.get(0, String.class))
                .all().collectList().block(timeout);
    }

    private Map<String, List<Column>> targetTables() {
        Map<String, List<Column>> found = new LinkedHashMap<>();
        DatabaseClient.create(target).sql("""
                        SELECT c.table_name, c.column_name, c.udt_name, c.is_identity
                        FROM information_schema.columns c
                        JOIN information_schema.tables t USING (table_schema, table_name)
                        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                        ORDER BY c.table_name, c.ordinal_position""")
                .map(row -> Map.entry(row.get(0, String.class), new Column(row.get(1, String.class),
                        row.get(2, String.class), "YES".equals(row.get(3, String.class)))))
                .all()
                .doOnNext(entry -> found.computeIfAbsent(entry.getKey(), table -> new ArrayList<>()).add(entry.getValue()))
                .then().block(timeout);
        return found;
    }

    /** Foreign keys' tables before the tables that refer to them. */
    private List<String> parentsFirst(List<String> unordered) {
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        DatabaseClient.create(target).sql("""
                        SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
                        WHERE contype = 'f' AND connamespace = current_schema()::regnamespace""")
                .map(row -> Map.entry(row.get(0, String.class), row.get(1, String.class)))
                .all()
                .doOnNext(edge -> parents.computeIfAbsent(edge.getKey(), child -> new LinkedHashSet<>()).add(edge.getValue()))
                .then().block(timeout);
        List<String> ordered = new ArrayList<>();
        Set<String> remaining = new LinkedHashSet<>(unordered);
        while (!remaining.isEmpty()) {
            String next = remaining.stream()
                    .filter(table -> parents.getOrDefault(table, Set.of()).stream()
                            .noneMatch(parent -> remaining.contains(parent) && !parent.equals(table)))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("foreign keys form a cycle among " + remaining));
            ordered.add(next);
            remaining.remove(next);
        }
        return ordered;
    }
}
