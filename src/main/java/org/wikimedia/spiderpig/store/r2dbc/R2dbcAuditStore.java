package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.store.AuditStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@link AuditStore} in SQL over R2DBC. */
public class R2dbcAuditStore implements AuditStore {

    private final DatabaseClient db;

    public R2dbcAuditStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> append(Instant at, String user, String action, String address, Long jobId, String detail) {
        var spec = db.sql("""
                        INSERT INTO audit (at, user_name, action, address, job_id, detail)
                        VALUES (:at, :user, :action, :address, :jobId, :detail)""")
                .bind("at", SqlValues.text(at))
                .bind("user", user)
                .bind("action", action);
        spec = SqlValues.bindOrNull(spec, "address", address, String.class);
        spec = SqlValues.bindOrNull(spec, "jobId", jobId, Long.class);
        return SqlValues.bindOrNull(spec, "detail", detail, String.class).then();
    }

    @Override
    public Flux<AuditEntry> find(AuditQuery query) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        condition(conditions, values, "user_name = :user", "user", query.user());
        condition(conditions, values, "action = :action", "action", query.action());
        condition(conditions, values, "job_id = :jobId", "jobId", query.jobId());
        condition(conditions, values, "id < :before", "before", query.before());
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        var spec = db.sql("SELECT * FROM audit" + where + " ORDER BY id DESC LIMIT :limit").bind("limit", query.limit());
        for (Map.Entry<String, Object> value : values.entrySet()) {
            spec = spec.bind(value.getKey(), value.getValue());
        }
        return spec.map(R2dbcAuditStore::entry).all();
    }

    private static void condition(List<String> conditions, Map<String, Object> values, String sql, String name,
                                  Object value) {
        if (value != null) {
            conditions.add(sql);
            values.put(name, value);
        }
    }

    private static AuditEntry entry(Readable row) {
        return new AuditEntry(row.get("id", Long.class), SqlValues.instant(row, "at"), row.get("user_name", String.class),
                row.get("action", String.class), row.get("address", String.class), row.get("job_id", Long.class),
                row.get("detail", String.class));
    }
}
