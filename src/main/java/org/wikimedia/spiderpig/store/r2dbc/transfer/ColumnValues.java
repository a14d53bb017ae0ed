package org.wikimedia.spiderpig.store.r2dbc.transfer;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * One column of a batch of SQLite rows as the array PostgreSQL's {@code unnest} takes, of the column's type there.
 * SQLite keeps integers, reals and text, and uses 0 and 1 for truth.
 */
final class ColumnValues {

    private ColumnValues() {
    }

    static Object array(String postgresType, List<Object[]> rows, int column) {
        return switch (postgresType) {
            case "int2", "int4" -> fill(rows, column, Integer[]::new, value -> number(value).intValue());
            case "int8" -> fill(rows, column, Long[]::new, value -> number(value).longValue());
            case "float4", "float8", "numeric" -> fill(rows, column, Double[]::new, value -> number(value).doubleValue());
            case "bool" -> fill(rows, column, Boolean[]::new,
                    value -> value instanceof Boolean truth ? truth : number(value).longValue() != 0);
            case "text", "varchar", "bpchar" -> fill(rows, column, String[]::new, Object::toString);
            default -> throw new MoveRefused("a column of type " + postgresType + " cannot be copied yet");
        };
    }

    private static <T> T[] fill(List<Object[]> rows, int column, IntFunction<T[]> newArray, Function<Object, T> convert) {
        T[] values = newArray.apply(rows.size());
        for (int i = 0; i < values.length; i++) {
            Object value = rows.get(i)[column];
            values[i] = value == null ? null : convert.apply(value);
        }
        return values;
    }

    private static Number number(Object value) {
        return value instanceof Number number ? number : new BigDecimal(value.toString().trim());
    }
}
