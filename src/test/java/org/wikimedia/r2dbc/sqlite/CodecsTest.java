package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each Java type the driver binds and reads, through a real SQLite file: the value bound, the storage class
 * SQLite keeps it in ({@code typeof}), the value read back as that type, NULL, the edges of its range, and the
 * error for a stored value that is not of the type asked for.
 */
class CodecsTest {

    private static final Duration DEADLINE = Duration.ofMinutes(1);
    private static final AtomicInteger TABLES = new AtomicInteger();

    @TempDir
    static Path dir;
    static SqliteConnectionFactory factory;

    @BeforeAll
    static void open() {
        factory = (SqliteConnectionFactory) ConnectionFactories.get("r2dbc:sqlite://" + dir.resolve("codecs.db"));
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    /** What one row of a one-column table holds after a bind: SQLite's storage class and the value as read. */
    record Stored<T>(String storageClass, T value, Object byDefault) {
    }

    /** Binds the value into a fresh column of the declared type and reads it back as {@code type}. */
    private static <T> Stored<T> roundTrip(String declaredType, Class<T> type, Consumer<Statement> bind) {
        String table = "t" + TABLES.incrementAndGet();
        return Mono.usingWhen(factory.create(), c -> SqliteTestSupport.update(
                    c.createStatement("CREATE TABLE " + table + " (x " + declaredType + ")"))
                .then(Mono.defer(() -> {
                    Statement insert = c.createStatement("INSERT INTO " + table + " VALUES (?1)");
                    bind.accept(insert);
                    return SqliteTestSupport.update(insert);
                }))
                .thenMany(Flux.from(c.createStatement("SELECT typeof(x), x, x FROM " + table).execute())
                    .concatMap(result -> result.map(row -> new Stored<>(row.get(0, String.class), row.get(1, type),
                        row.get(2)))))
                .single(),
            Connection::close).block(DEADLINE);
    }

    private static <T> Stored<T> roundTrip(String declaredType, Object value, Class<T> type) {
        return roundTrip(declaredType, type, insert -> insert.bind(0, value));
    }

    /** A stored value read through {@link Row#get(int, Class)}, for the errors of decoding. */
    private static <T> T read(String sqlLiteral, Class<T> type) {
        return Mono.usingWhen(factory.create(),
            c -> Flux.from(c.createStatement("SELECT " + sqlLiteral).execute())
                .concatMap(result -> result.map(row -> row.get(0, type)))
                .single(),
            Connection::close).block(DEADLINE);
    }

    private static void assertNullRoundTrips(String declaredType, Class<?> type) {
        Stored<?> stored = roundTrip(declaredType, type, insert -> insert.bindNull(0, type));
        assertThat(stored.storageClass()).isEqualTo("null");
        assertThat(stored.value()).isNull();
        assertThat(stored.byDefault()).isNull();
    }

    @Test
    void integer() {
        for (int value : new int[] {0, 42, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            Stored<Integer> stored = roundTrip("INTEGER", value, Integer.class);
            assertThat(stored.storageClass()).isEqualTo("integer");
            assertThat(stored.value()).isEqualTo(value);
            assertThat(stored.byDefault()).isEqualTo(value);
        }
        assertNullRoundTrips("INTEGER", Integer.class);
        assertThatThrownBy(() -> read(Long.toString(Integer.MAX_VALUE + 1L), Integer.class))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Cannot decode SQLite INTEGER value '2147483648' to java.lang.Integer");
        assertThatThrownBy(() -> read("2.5", Integer.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("REAL");
        assertThatThrownBy(() -> read("'forty-two'", Integer.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Cannot decode SQLite TEXT value 'forty-two' to java.lang.Integer");
        assertThat(read("'42'", Integer.class)).as("numeric text").isEqualTo(42);
        assertThat(read("42.0", Integer.class)).as("a whole REAL").isEqualTo(42);
    }

    @Test
    void longs() {
        for (long value : new long[] {0, 5_000_000_000L, Long.MIN_VALUE, Long.MAX_VALUE}) {
            Stored<Long> stored = roundTrip("BIGINT", value, Long.class);
            assertThat(stored.storageClass()).isEqualTo("integer");
            assertThat(stored.value()).isEqualTo(value);
            assertThat(stored.byDefault()).as("a BIGINT column reads as Long").isEqualTo(value);
        }
        assertThat(roundTrip("INTEGER", 7L, Long.class).byDefault()).as("an INTEGER column, small value").isEqualTo(7);
        assertNullRoundTrips("BIGINT", Long.class);
        assertThatThrownBy(() -> read("'9223372036854775808'", Long.class))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Long");
    }

    @Test
    void shortsAndBytes() {
        for (short value : new short[] {Short.MIN_VALUE, 0, Short.MAX_VALUE}) {
            Stored<Short> stored = roundTrip("SMALLINT", value, Short.class);
            assertThat(stored.storageClass()).isEqualTo("integer");
            assertThat(stored.value()).isEqualTo(value);
        }
        for (byte value : new byte[] {Byte.MIN_VALUE, 0, Byte.MAX_VALUE}) {
            Stored<Byte> stored = roundTrip("TINYINT", value, Byte.class);
            assertThat(stored.storageClass()).isEqualTo("integer");
            assertThat(stored.value()).isEqualTo(value);
        }
        assertNullRoundTrips("SMALLINT", Short.class);
        assertNullRoundTrips("TINYINT", Byte.class);
        assertThatThrownBy(() -> read("32768", Short.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("short overflow");
        assertThatThrownBy(() -> read("-129", Byte.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("byte overflow");
    }

    @Test
    void booleans() {
        Stored<Boolean> yes = roundTrip("BOOLEAN", true, Boolean.class);
        assertThat(yes.storageClass()).isEqualTo("integer");
        assertThat(yes.value()).isTrue();
        assertThat(yes.byDefault()).as("a BOOLEAN column reads as Boolean").isEqualTo(true);
        Stored<Boolean> no = roundTrip("BOOLEAN", false, Boolean.class);
        assertThat(no.value()).isFalse();
        assertThat(no.byDefault()).isEqualTo(false);
        assertThat(roundTrip("INTEGER", true, Long.class).value()).as("stored as 1").isEqualTo(1L);
        assertNullRoundTrips("BOOLEAN", Boolean.class);
        assertThat(read("'true'", Boolean.class)).isTrue();
        assertThat(read("'0'", Boolean.class)).isFalse();
        assertThat(read("2", Boolean.class)).as("any non-zero number").isTrue();
        assertThatThrownBy(() -> read("'maybe'", Boolean.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not a boolean: maybe");
    }

    @Test
    void doubles() {
        for (double value : new double[] {0.0, 2.5, -1e-300, Double.MIN_VALUE, Double.MAX_VALUE,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            Stored<Double> stored = roundTrip("REAL", value, Double.class);
            assertThat(stored.storageClass()).isEqualTo("real");
            assertThat(stored.value()).isEqualTo(value);
            assertThat(stored.byDefault()).isEqualTo(value);
        }
        assertThat(roundTrip("REAL", 3, Double.class)).as("an integer in a REAL column")
            .isEqualTo(new Stored<>("real", 3.0, 3.0));
        assertNullRoundTrips("REAL", Double.class);
        assertThatThrownBy(() -> read("'pi'", Double.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Cannot decode SQLite TEXT value 'pi' to java.lang.Double");
    }

    @Test
    void floats() {
        for (float value : new float[] {0.1f, -2.5f, Float.MAX_VALUE, Float.MIN_VALUE}) {
            Stored<Float> stored = roundTrip("FLOAT", value, Float.class);
            assertThat(stored.storageClass()).isEqualTo("real");
            assertThat(stored.value()).isEqualTo(value);
        }
        // Bound through its decimal text, so 0.1f is stored as 0.1, not as 0.100000001490116...
        assertThat(roundTrip("REAL", 0.1f, Double.class).value()).isEqualTo(0.1);
        assertNullRoundTrips("FLOAT", Float.class);
    }

    @Test
    void bigDecimals() {
        BigDecimal precise = new BigDecimal("12345678901234567890.123456789012345678901234567890");
        Stored<BigDecimal> text = roundTrip("TEXT", precise, BigDecimal.class);
        assertThat(text.storageClass()).as("bound as its plain text").isEqualTo("text");
        assertThat(text.value()).isEqualTo(precise);
        assertThat(roundTrip("TEXT", new BigDecimal("1E+3"), String.class).value()).isEqualTo("1000");
        // A NUMERIC column turns the text into a number, as SQLite's type affinity does.
        Stored<BigDecimal> numeric = roundTrip("NUMERIC", new BigDecimal("12.50"), BigDecimal.class);
        assertThat(numeric.storageClass()).isEqualTo("real");
        assertThat(numeric.value()).isEqualByComparingTo("12.5");
        assertThat(roundTrip("NUMERIC", new BigDecimal("7.00"), BigDecimal.class))
            .isEqualTo(new Stored<>("integer", BigDecimal.valueOf(7), 7));
        assertNullRoundTrips("NUMERIC", BigDecimal.class);
        assertThatThrownBy(() -> read("'12,5'", BigDecimal.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("java.math.BigDecimal");
    }

    @Test
    void bigIntegers() {
        Stored<BigInteger> small = roundTrip("BLOB", BigInteger.valueOf(Long.MAX_VALUE), BigInteger.class);
        assertThat(small.storageClass()).as("fits in 64 bits").isEqualTo("integer");
        assertThat(small.value()).isEqualTo(BigInteger.valueOf(Long.MAX_VALUE));
        BigInteger huge = BigInteger.TWO.pow(64).negate();
        Stored<BigInteger> large = roundTrip("BLOB", huge, BigInteger.class);
        assertThat(large.storageClass()).as("beyond 64 bits, as text").isEqualTo("text");
        assertThat(large.value()).isEqualTo(huge);
        assertNullRoundTrips("BLOB", BigInteger.class);
        assertThatThrownBy(() -> read("'0x10'", BigInteger.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("java.math.BigInteger");
    }

    @Test
    void strings() {
        for (String value : new String[] {"", "text", "ünïcödé ✓ 🐷", "line\nbreak", "x".repeat(100_000)}) {
            Stored<String> stored = roundTrip("TEXT", value, String.class);
            assertThat(stored.storageClass()).isEqualTo("text");
            assertThat(stored.value()).isEqualTo(value);
            assertThat(stored.byDefault()).isEqualTo(value);
        }
        assertThat(roundTrip("TEXT", new StringBuilder("built"), String.class).value()).isEqualTo("built");
        assertThat(roundTrip("TEXT", 'c', String.class).value()).isEqualTo("c");
        assertThat(roundTrip("TEXT", 42, String.class)).as("TEXT affinity stores a bound number as text")
            .isEqualTo(new Stored<>("text", "42", "42"));
        assertThat(read("x'68c3a9'", String.class)).as("a BLOB read as UTF-8 text").isEqualTo("hé");
        assertThat(read("42", String.class)).isEqualTo("42");
        assertNullRoundTrips("TEXT", String.class);
    }

    @Test
    void uuids() {
        UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        Stored<UUID> stored = roundTrip("TEXT", uuid, UUID.class);
        assertThat(stored.storageClass()).isEqualTo("text");
        assertThat(stored.value()).isEqualTo(uuid);
        assertThat(stored.byDefault()).isEqualTo("123e4567-e89b-12d3-a456-426614174000");
        assertThat(read("x'123e4567e89b12d3a456426614174000'", UUID.class)).as("16 bytes").isEqualTo(uuid);
        assertNullRoundTrips("TEXT", UUID.class);
        assertThatThrownBy(() -> read("'not-a-uuid'", UUID.class)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void byteArrays() {
        byte[] bytes = {0, 1, -1, Byte.MIN_VALUE, Byte.MAX_VALUE};
        Stored<byte[]> stored = roundTrip("BLOB", bytes, byte[].class);
        assertThat(stored.storageClass()).isEqualTo("blob");
        assertThat(stored.value()).containsExactly(bytes);
        assertThat(stored.byDefault()).as("a BLOB reads as ByteBuffer").isEqualTo(ByteBuffer.wrap(bytes));
        byte[] large = new byte[1 << 20];
        large[large.length - 1] = 7;
        assertThat(roundTrip("BLOB", large, byte[].class).value()).isEqualTo(large);
        assertThat(read("'abc'", byte[].class)).as("text as its UTF-8 bytes").containsExactly('a', 'b', 'c');
        assertNullRoundTrips("BLOB", byte[].class);
    }

    @Test
    void byteBuffersBindWhatRemains() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 1, 2, 3});
        buffer.position(1);
        Stored<ByteBuffer> stored = roundTrip("BLOB", buffer, ByteBuffer.class);
        assertThat(stored.storageClass()).isEqualTo("blob");
        assertThat(stored.value()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(buffer.position()).as("the bound buffer is left as it was").isEqualTo(1);
        assertNullRoundTrips("BLOB", ByteBuffer.class);
    }

    @Test
    void blobsAndClobsAreReadBeforeExecution() {
        Blob blob = Blob.from(Flux.just(ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3})));
        Stored<Blob> storedBlob = roundTrip("BLOB", blob, Blob.class);
        assertThat(storedBlob.storageClass()).isEqualTo("blob");
        assertThat(Flux.from(storedBlob.value().stream()).reduce(0, (sum, b) -> sum + b.remaining()).block(DEADLINE))
            .isEqualTo(3);
        assertThat(roundTrip("BLOB", Blob.from(Mono.just(ByteBuffer.wrap(new byte[] {1, 2, 3}))), byte[].class).value())
            .containsExactly(1, 2, 3);

        Clob clob = Clob.from(Flux.just("hello, ", "world"));
        Stored<Clob> storedClob = roundTrip("TEXT", clob, Clob.class);
        assertThat(storedClob.storageClass()).isEqualTo("text");
        assertThat(Flux.from(storedClob.value().stream()).reduce("", (all, part) -> all + part).block(DEADLINE))
            .isEqualTo("hello, world");
        assertNullRoundTrips("BLOB", Blob.class);
        assertNullRoundTrips("TEXT", Clob.class);
    }

    @Test
    void localDates() {
        for (LocalDate value : new LocalDate[] {LocalDate.of(2026, 11, 22), LocalDate.of(1, 1, 1),
            LocalDate.of(9999, 12, 31)}) {
            Stored<LocalDate> stored = roundTrip("DATE", value, LocalDate.class);
            assertThat(stored.storageClass()).isEqualTo("text");
            assertThat(stored.value()).isEqualTo(value);
        }
        assertThat(roundTrip("DATE", LocalDate.of(2026, 11, 22), String.class).value()).isEqualTo("2026-11-22");
        assertThat(read("'2026-11-22 03:04:05'", LocalDate.class)).as("the date of a date-time")
            .isEqualTo(LocalDate.of(2026, 11, 22));
        assertNullRoundTrips("DATE", LocalDate.class);
        assertThatThrownBy(() -> read("'2026-02-30'", LocalDate.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Cannot decode SQLite TEXT value '2026-02-30' to java.time.LocalDate");
    }

    @Test
    void localTimes() {
        for (LocalTime value : new LocalTime[] {LocalTime.MIDNIGHT, LocalTime.of(1, 2, 3), LocalTime.MAX}) {
            Stored<LocalTime> stored = roundTrip("TIME", value, LocalTime.class);
            assertThat(stored.storageClass()).isEqualTo("text");
            assertThat(stored.value()).isEqualTo(value);
        }
        assertNullRoundTrips("TIME", LocalTime.class);
        assertThatThrownBy(() -> read("'25:00'", LocalTime.class)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void localDateTimes() {
        LocalDateTime nanos = LocalDateTime.of(2026, 11, 22, 1, 2, 3, 123_456_789);
        Stored<LocalDateTime> stored = roundTrip("DATETIME", nanos, LocalDateTime.class);
        assertThat(stored.storageClass()).isEqualTo("text");
        assertThat(stored.value()).isEqualTo(nanos);
        assertThat(stored.byDefault()).isEqualTo("2026-11-22T01:02:03.123456789");
        // SQLite's own date and time functions write a space between date and time, or no time at all.
        assertThat(read("datetime('2026-11-22 03:04:05')", LocalDateTime.class))
            .isEqualTo(LocalDateTime.of(2026, 11, 22, 3, 4, 5));
        assertThat(read("strftime('%Y-%m-%d %H:%M:%f', '2026-11-22 03:04:05.678')", LocalDateTime.class))
            .isEqualTo(LocalDateTime.of(2026, 11, 22, 3, 4, 5, 678_000_000));
        assertThat(read("date('2026-11-22')", LocalDateTime.class)).isEqualTo(LocalDateTime.of(2026, 11, 22, 0, 0));
        assertNullRoundTrips("DATETIME", LocalDateTime.class);
        assertThatThrownBy(() -> read("'yesterday'", LocalDateTime.class))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.time.LocalDateTime");
    }

    @Test
    void offsetDateTimes() {
        OffsetDateTime value = OffsetDateTime.of(2026, 11, 22, 1, 2, 3, 4_000, ZoneOffset.ofHoursMinutes(-9, -30));
        Stored<OffsetDateTime> stored = roundTrip("TEXT", value, OffsetDateTime.class);
        assertThat(stored.storageClass()).isEqualTo("text");
        assertThat(stored.value()).isEqualTo(value);
        assertThat(read("'2026-11-22 03:04:05'", OffsetDateTime.class)).as("SQLite's datetime() text means UTC")
            .isEqualTo(OffsetDateTime.of(2026, 11, 22, 3, 4, 5, 0, ZoneOffset.UTC));
        assertThat(read("0", OffsetDateTime.class)).as("an INTEGER is epoch milliseconds")
            .isEqualTo(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertNullRoundTrips("TEXT", OffsetDateTime.class);
    }

    @Test
    void offsetTimes() {
        OffsetTime value = OffsetTime.of(23, 59, 59, 999_000_000, ZoneOffset.ofHours(14));
        Stored<OffsetTime> stored = roundTrip("TEXT", value, OffsetTime.class);
        assertThat(stored.storageClass()).isEqualTo("text");
        assertThat(stored.value()).isEqualTo(value);
        assertNullRoundTrips("TEXT", OffsetTime.class);
        assertThatThrownBy(() -> read("'12:00'", OffsetTime.class)).as("no offset")
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zonedDateTimesKeepTheirInstantAndOffset() {
        ZonedDateTime value = ZonedDateTime.of(2026, 7, 1, 12, 0, 0, 0, ZoneId.of("Europe/Berlin"));
        Stored<ZonedDateTime> stored = roundTrip("TEXT", value, ZonedDateTime.class);
        assertThat(stored.storageClass()).isEqualTo("text");
        assertThat(stored.byDefault()).as("stored with its offset, not its region").isEqualTo("2026-07-01T12:00+02:00");
        assertThat(stored.value().toInstant()).isEqualTo(value.toInstant());
        assertThat(stored.value().getOffset()).isEqualTo(ZoneOffset.ofHours(2));
        assertThat(read("'2026-07-01T12:00+02:00[Europe/Berlin]'", ZonedDateTime.class)).isEqualTo(value);
        assertNullRoundTrips("TEXT", ZonedDateTime.class);
    }

    @Test
    void instants() {
        for (Instant value : new Instant[] {Instant.EPOCH, Instant.parse("2026-11-22T00:00:00.123456789Z"),
            Instant.parse("-0001-01-01T00:00:00Z")}) {
            Stored<Instant> stored = roundTrip("TIMESTAMP", value, Instant.class);
            assertThat(stored.storageClass()).isEqualTo("text");
            assertThat(stored.value()).isEqualTo(value);
        }
        assertThat(read("1700000000000", Instant.class)).as("an INTEGER is epoch milliseconds")
            .isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertNullRoundTrips("TIMESTAMP", Instant.class);
        assertThatThrownBy(() -> read("'soon'", Instant.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("java.time.Instant");
    }

    enum Colour { RED, GREEN }

    @Test
    void enumsByName() {
        Stored<Colour> stored = roundTrip("TEXT", Colour.GREEN, Colour.class);
        assertThat(stored).isEqualTo(new Stored<>("text", Colour.GREEN, "GREEN"));
        assertNullRoundTrips("TEXT", Colour.class);
        assertThatThrownBy(() -> read("'BLUE'", Colour.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("BLUE");
    }

    @Test
    void parametersBindTheirValue() {
        assertThat(roundTrip("TEXT", Parameters.in(R2dbcType.VARCHAR, "v"), String.class))
            .isEqualTo(new Stored<>("text", "v", "v"));
        assertThat(roundTrip("INTEGER", Parameters.in(R2dbcType.INTEGER), Integer.class))
            .as("a parameter without a value binds NULL").isEqualTo(new Stored<>("null", null, null));
    }

    @ParameterizedTest(name = "{0} reads as {1}")
    @CsvSource({
        "INTEGER, java.lang.Integer", "INT, java.lang.Integer", "BIGINT, java.lang.Long", "INT8, java.lang.Long",
        "BOOLEAN, java.lang.Boolean", "TEXT, java.lang.String", "VARCHAR(20), java.lang.String",
        "CLOB, java.lang.String", "BLOB, java.nio.ByteBuffer", "REAL, java.lang.Double", "FLOAT, java.lang.Double",
        "DOUBLE PRECISION, java.lang.Double", "NUMERIC, java.lang.Object", "DATETIME, java.lang.Object"})
    void declaredTypesChooseTheColumnsJavaType(String declaredType, Class<?> javaType) {
        String table = "t" + TABLES.incrementAndGet();
        SqliteTestSupport.run(factory, "CREATE TABLE " + table + " (x " + declaredType + ")",
            "INSERT INTO " + table + " VALUES (NULL)");
        Class<?> reported = Mono.usingWhen(factory.create(),
            c -> Flux.from(c.createStatement("SELECT x FROM " + table).execute())
                .concatMap(result -> result.map((row, metadata) -> metadata.getColumnMetadata(0).getJavaType()))
                .single(),
            Connection::close).block(DEADLINE);
        assertThat(reported).isEqualTo(javaType);
    }

    @Test
    void wrongTypesAreRefusedWithTheirNames() {
        assertThatThrownBy(() -> read("'2026-11-22'", java.util.Date.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("Cannot decode SQLite TEXT value to java.util.Date");
        assertThatThrownBy(() -> read("1", null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("type must not be null");
        Connection connection = Mono.from(factory.create()).block(DEADLINE);
        try {
            Statement statement = connection.createStatement("SELECT ?1");
            assertThatThrownBy(() -> statement.bind(0, new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot bind a value of type java.lang.Object to SQLite");
            assertThatThrownBy(() -> statement.bind(0, java.util.Optional.of(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.util.Optional");
            assertThatThrownBy(() -> statement.bind(0, null)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            Mono.from(connection.close()).block(DEADLINE);
        }
    }
}
