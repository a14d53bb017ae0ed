package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.store.InteractionStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link InteractionStore} in SQL over R2DBC. Repeated when the database cuts them off ({@link StatementRepeat}):
 * the reads and {@link #answer} (whose condition also holds for its own answer). Not repeated: {@link #open} (an id
 * the database generates) and {@link #closePending} (a prompt closed by the cut-off attempt would go unreported).
 */
public class R2dbcInteractionStore implements InteractionStore {

    private static final TypeReference<LinkedHashMap<String, String>> CHOICES = new TypeReference<>() {
    };
    private static final String PENDING = "response IS NULL AND closed_reason IS NULL";

    private final DatabaseClient db;
    private final SqlValues values;
    private final StatementRepeat repeat;

    public R2dbcInteractionStore(DatabaseClient db, JsonMapper json) {
        this(db, json, StatementRepeat.never());
    }

    R2dbcInteractionStore(DatabaseClient db, JsonMapper json, StatementRepeat repeat) {
        this.db = db;
        this.values = new SqlValues(json);
        this.repeat = repeat;
    }

    @Override
    public Mono<Interaction> open(long jobId, String kind, String prompt, Map<String, String> choices,
                                      String defaultChoice, Instant at) {
        var spec = db.sql("""
                        INSERT INTO interactions (job_id, kind, prompt, choices, default_choice, opened_at)
                        VALUES (:jobId, :kind, :prompt, :choices, :defaultChoice, :at)
                        RETURNING id""")
                .bind("jobId", jobId)
                .bind("kind", kind)
                .bind("prompt", prompt)
                .bind("choices", values.toJson(choices == null ? Map.of() : choices))
                .bind("at", SqlValues.text(at));
        return SqlValues.bindOrNull(spec, "defaultChoice", defaultChoice, String.class)
                .map(row -> row.get("id", Long.class))
                .one()
                .flatMap(this::find);
    }

    @Override
    public Mono<Interaction> find(long id) {
        return repeat.repeatable("prompt " + id,
                db.sql("SELECT * FROM interactions WHERE id = :id").bind("id", id).map(this::interaction).one());
    }

    @Override
    public Flux<Interaction> forJob(long jobId) {
        return repeat.repeatable("job " + jobId + "'s prompts", db.sql("SELECT * FROM interactions WHERE job_id = :jobId ORDER BY id")
                .bind("jobId", jobId).map(this::interaction).all());
    }

    @Override
    public Mono<Interaction> pendingForJob(long jobId) {
        return repeat.repeatable("job " + jobId + "'s pending prompt",
                db.sql("SELECT * FROM interactions WHERE job_id = :jobId AND " + PENDING + " ORDER BY id DESC LIMIT 1")
                        .bind("jobId", jobId).map(this::interaction).one());
    }

    @Override
    public Mono<Boolean> answer(long id, String response, String answeredBy, Instant at) {
        // Also true for this very answer already stored: a repeat after a lost commit says it won, as it did.
        return repeat.repeatable("the answer to prompt " + id, db.sql(
                        "UPDATE interactions SET response = :response, answered_by = :by, answered_at = :at "
                        + "WHERE id = :id AND (" + PENDING
                        + " OR response = :responseToo AND answered_by = :byToo AND answered_at = :atToo)")
                .bind("response", response)
                .bind("responseToo", response)
                .bind("by", answeredBy)
                .bind("byToo", answeredBy)
                .bind("at", SqlValues.text(at))
                .bind("atToo", SqlValues.text(at))
                .bind("id", id)
                .fetch().rowsUpdated()
                .map(rows -> rows == 1));
    }

    @Override
    public Flux<Interaction> closePending(long jobId, String reason, Instant at) {
        return db.sql("SELECT id FROM interactions WHERE job_id = :jobId AND " + PENDING + " ORDER BY id")
                .bind("jobId", jobId)
                .map(row -> row.get("id", Long.class))
                .all()
                .concatMap(id -> db.sql("UPDATE interactions SET closed_reason = :reason, closed_at = :at "
                                + "WHERE id = :id AND " + PENDING)
                        .bind("reason", reason)
                        .bind("at", SqlValues.text(at))
                        .bind("id", id)
                        .fetch().rowsUpdated()
                        .filter(rows -> rows == 1)
                        .flatMap(rows -> find(id)));
    }

    private Interaction interaction(Readable row) {
        return new Interaction(
                row.get("id", Long.class),
                row.get("job_id", Long.class),
                row.get("kind", String.class),
                row.get("prompt", String.class),
                values.fromJson(row, "choices", CHOICES),
                row.get("default_choice", String.class),
                SqlValues.instant(row, "opened_at"),
                row.get("response", String.class),
                row.get("answered_by", String.class),
                SqlValues.instant(row, "answered_at"),
                row.get("closed_reason", String.class),
                SqlValues.instant(row, "closed_at"));
    }
}
