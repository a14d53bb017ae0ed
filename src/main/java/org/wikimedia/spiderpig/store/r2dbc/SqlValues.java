package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The column conventions of SpiderPig's tables: instants as ISO-8601 text, structures as JSON text. */
final class SqlValues {

    private final JsonMapper json;

    SqlValues(JsonMapper json) {
        this.json = json;
    }

    static GenericExecuteSpec bindOrNull(GenericExecuteSpec spec, String name, Object value, Class<?> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static Instant instant(Readable row, String column) {
        String text = row.get(column, String.class);
        return text == null ? null : Instant.parse(text);
    }

    String toJson(Object value) {
        return value == null ? null : json.writeValueAsString(value);
    }

    <T> T fromJson(Readable row, String column, TypeReference<T> type) {
        String text = row.get(column, String.class);
        return text == null ? null : json.readValue(text, type);
    }

    <T> T fromJson(Readable row, String column, Class<T> type) {
        String text = row.get(column, String.class);
        return text == null ? null : json.readValue(text, type);
    }
}
