package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import reactor.core.publisher.Mono;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

/**
 * Conversions between Java values and SQLite's storage classes. Values read from SQLite are {@code Integer} or
 * {@code Long} (INTEGER), {@code Double} (REAL), {@code String} (TEXT), {@code byte[]} (BLOB) or {@code null};
 * values bound are turned into one of these. Date and time values are stored as ISO-8601 text.
 */
final class Codecs {

    private static final DateTimeFormatter SQLITE_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

    private Codecs() {
    }

    /** Java type a column's values decode to by default, from its declared type. */
    static Class<?> javaType(String declaredType) {
        String type = declaredType == null ? "" : declaredType.toUpperCase(Locale.ROOT);
        if (type.contains("BOOL")) {
            return Boolean.class;
        }
        if (type.contains("BIGINT") || type.contains("INT8")) {
            return Long.class;
        }
        if (type.contains("INT")) {
            return Integer.class;
        }
        if (type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT")) {
            return String.class;
        }
        if (type.contains("BLOB")) {
            return ByteBuffer.class;
        }
        if (type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB")) {
            return Double.class;
        }
        return Object.class;
    }

    /** The value {@code row.get(i)} returns: the stored value, shaped by the column's declared type. */
    static Object decodeDefault(Object raw, Class<?> columnType) {
        if (raw == null) {
            return null;
        }
        if (columnType == Boolean.class && raw instanceof Number) {
            return ((Number) raw).longValue() != 0;
        }
        if (columnType == Long.class && raw instanceof Integer) {
            return ((Integer) raw).longValue();
        }
        if (raw instanceof byte[]) {
            return ByteBuffer.wrap((byte[]) raw);
        }
        return raw;
    }

    @SuppressWarnings("unchecked")
    static <T> T decode(Object raw, Class<T> type, Class<?> columnType) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        if (raw == null) {
            return null;
        }
        if (type == Object.class) {
            return (T) decodeDefault(raw, columnType);
        }
        if (type.isInstance(raw) && !(raw instanceof byte[])) {
            return (T) raw;
        }
        try {
            Object value = convert(raw, type);
            if (value == null) {
                throw new IllegalArgumentException("Cannot decode SQLite " + storageName(raw) + " value to "
                    + type.getName());
            }
            return (T) value;
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("Cannot decode SQLite " + storageName(raw) + " value '" + raw + "' to "
                + type.getName() + ": " + e.getMessage(), e);
        }
    }

    private static Object convert(Object raw, Class<?> type) {
        if (type == Long.class || type == long.class) {
            return raw instanceof Number ? (Object) ((Number) raw).longValue() : Long.valueOf(text(raw).trim());
        }
        if (type == Integer.class || type == int.class) {
            return Math.toIntExact(longValue(raw));
        }
        if (type == Short.class || type == short.class) {
            long v = longValue(raw);
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                throw new ArithmeticException("short overflow");
            }
            return (short) v;
        }
        if (type == Byte.class || type == byte.class) {
            long v = longValue(raw);
            if (v < Byte.MIN_VALUE || v > Byte.MAX_VALUE) {
                throw new ArithmeticException("byte overflow");
            }
            return (byte) v;
        }
        if (type == Boolean.class || type == boolean.class) {
            if (raw instanceof Number) {
                return ((Number) raw).doubleValue() != 0;
            }
            String s = text(raw).trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("1")) {
                return true;
            }
            if (s.equals("false") || s.equals("0")) {
                return false;
            }
            throw new NumberFormatException("not a boolean: " + s);
        }
        if (type == Double.class || type == double.class) {
            return raw instanceof Number ? (Object) ((Number) raw).doubleValue() : Double.valueOf(text(raw).trim());
        }
        if (type == Float.class || type == float.class) {
            return raw instanceof Number ? (Object) ((Number) raw).floatValue() : Float.valueOf(text(raw).trim());
        }
        if (type == BigDecimal.class) {
            if (raw instanceof Double) {
                return BigDecimal.valueOf((Double) raw);
            }
            if (raw instanceof Number) {
                return BigDecimal.valueOf(((Number) raw).longValue());
            }
            return new BigDecimal(text(raw).trim());
        }
        if (type == BigInteger.class) {
            return raw instanceof Number ? BigInteger.valueOf(longValue(raw)) : new BigInteger(text(raw).trim());
        }
        if (type == Number.class) {
            return raw instanceof Number ? raw : new BigDecimal(text(raw).trim());
        }
        if (type == String.class || type == CharSequence.class) {
            return text(raw);
        }
        if (type == UUID.class) {
            return raw instanceof byte[] && ((byte[]) raw).length == 16 ? uuid((byte[]) raw) : UUID.fromString(text(raw));
        }
        if (type == byte[].class) {
            return raw instanceof byte[] ? ((byte[]) raw).clone() : text(raw).getBytes(StandardCharsets.UTF_8);
        }
        if (type == ByteBuffer.class) {
            return ByteBuffer.wrap(bytes(raw));
        }
        if (type == Blob.class) {
            byte[] bytes = bytes(raw);
            return Blob.from(Mono.fromSupplier(() -> ByteBuffer.wrap(bytes)));
        }
        if (type == Clob.class) {
            String s = text(raw);
            return Clob.from(Mono.just(s));
        }
        if (type == LocalDate.class) {
            String s = text(raw).trim();
            return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
        }
        if (type == LocalTime.class) {
            return LocalTime.parse(text(raw).trim());
        }
        if (type == LocalDateTime.class) {
            return localDateTime(text(raw).trim());
        }
        if (type == OffsetDateTime.class) {
            return offsetDateTime(raw);
        }
        if (type == ZonedDateTime.class) {
            String s = text(raw).trim();
            try {
                return ZonedDateTime.parse(s);
            } catch (DateTimeParseException e) {
                return offsetDateTime(raw).toZonedDateTime();
            }
        }
        if (type == Instant.class) {
            if (raw instanceof Number) {
                return Instant.ofEpochMilli(((Number) raw).longValue());
            }
            return offsetDateTime(raw).toInstant();
        }
        if (type == OffsetTime.class) {
            return OffsetTime.parse(text(raw).trim());
        }
        if (type.isEnum()) {
            return enumValue(type, text(raw));
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name);
    }

    private static OffsetDateTime offsetDateTime(Object raw) {
        if (raw instanceof Number) {
            return Instant.ofEpochMilli(((Number) raw).longValue()).atOffset(ZoneOffset.UTC);
        }
        String s = text(raw).trim();
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            // SQLite's own datetime() text has no offset and means UTC.
            return localDateTime(s).atOffset(ZoneOffset.UTC);
        }
    }

    private static LocalDateTime localDateTime(String s) {
        if (s.length() > 10 && s.charAt(10) == ' ') {
            try {
                return LocalDateTime.parse(s, SQLITE_DATETIME);
            } catch (DateTimeParseException e) {
                return LocalDateTime.parse(s.replace(' ', 'T'));
            }
        }
        if (s.length() == 10) {
            return LocalDate.parse(s).atStartOfDay();
        }
        return LocalDateTime.parse(s);
    }

    private static UUID uuid(byte[] b) {
        ByteBuffer buffer = ByteBuffer.wrap(b);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static long longValue(Object raw) {
        if (raw instanceof Double) {
            double d = (Double) raw;
            if (d != Math.rint(d)) {
                throw new ArithmeticException("not an integer: " + d);
            }
            return (long) d;
        }
        if (raw instanceof Number) {
            return ((Number) raw).longValue();
        }
        return Long.parseLong(text(raw).trim());
    }

    private static String text(Object raw) {
        if (raw instanceof byte[]) {
            return new String((byte[]) raw, StandardCharsets.UTF_8);
        }
        return raw.toString();
    }

    private static byte[] bytes(Object raw) {
        return raw instanceof byte[] ? ((byte[]) raw).clone() : text(raw).getBytes(StandardCharsets.UTF_8);
    }

    private static String storageName(Object raw) {
        if (raw instanceof Double) {
            return "REAL";
        }
        if (raw instanceof Number) {
            return "INTEGER";
        }
        if (raw instanceof byte[]) {
            return "BLOB";
        }
        return "TEXT";
    }

    /** A bound SQL NULL. */
    static final Object NULL = new Object();

    /**
     * Turns a bound Java value into what sqlite-jdbc binds: Long, Double, String, byte[], {@link #NULL}, or a
     * {@link Blob}/{@link Clob} read just before execution.
     */
    static Object encode(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null; use bindNull");
        }
        // Exact classes first: they are the common case and cheaper to test than interfaces.
        Class<?> type = value.getClass();
        if (type == String.class || type == Long.class || type == Double.class) {
            return value;
        }
        if (type == Integer.class) {
            return ((Integer) value).longValue();
        }
        if (value instanceof io.r2dbc.spi.Parameter) {
            Object inner = ((io.r2dbc.spi.Parameter) value).getValue();
            return inner == null ? NULL : encode(inner);
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Boolean) {
            return ((Boolean) value) ? 1L : 0L;
        }
        if (value instanceof Float) {
            return Double.valueOf(value.toString());
        }
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).toPlainString();
        }
        if (value instanceof BigInteger) {
            BigInteger big = (BigInteger) value;
            return big.bitLength() < 64 ? (Object) big.longValue() : big.toString();
        }
        if (value instanceof CharSequence || value instanceof Character || value instanceof UUID) {
            return value.toString();
        }
        if (value instanceof byte[]) {
            return ((byte[]) value).clone();
        }
        if (value instanceof ByteBuffer) {
            ByteBuffer buffer = ((ByteBuffer) value).duplicate();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        if (value instanceof LocalDate || value instanceof LocalTime || value instanceof LocalDateTime
            || value instanceof OffsetDateTime || value instanceof OffsetTime || value instanceof Instant) {
            return value.toString();
        }
        if (value instanceof ZonedDateTime) {
            return ((ZonedDateTime) value).toOffsetDateTime().toString();
        }
        if (value instanceof Enum) {
            return ((Enum<?>) value).name();
        }
        if (value instanceof Blob || value instanceof Clob) {
            return value;
        }
        throw new IllegalArgumentException("Cannot bind a value of type " + value.getClass().getName() + " to SQLite");
    }

    static void checkBindableType(Class<?> type) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
    }
}
