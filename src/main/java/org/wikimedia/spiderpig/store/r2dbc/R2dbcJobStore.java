package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.wikimedia.spiderpig.model.ChangeDetails;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.Progress;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link JobStore} in SQL over R2DBC. Repeated when the database cuts them off ({@link StatementRepeat}): the reads,
 * the updates that set values outright, and the conditional ones that end a job, whose condition also holds for
 * their own effect (the same time written), so that a repeat after a lost commit answers as the first attempt did.
 * Not repeated: {@link #create} (an id the database generates; the job and its origin in one transaction), {@link #markStarted} (a start is taken from
 * {@code queued} only: two claims in the same instant must not both win) and {@link #deleteIfFinished} (a repeat
 * would answer false).
 */
public class R2dbcJobStore implements JobStore {

    private static final TypeReference<Map<String, List<String>>> PARAMETERS = new TypeReference<>() {
    };
    private static final TypeReference<List<ChangeDetails>> CHANGES = new TypeReference<>() {
    };
    private static final String SELECT_JOBS =
            "SELECT jobs.*, o.retry_of, o.changes FROM jobs LEFT JOIN job_origins o ON o.job_id = jobs.id ";

    private static final List<String> FINISHED = Arrays.stream(JobState.values())
            .filter(JobState::isFinal).map(JobState::wireName).toList();

    private final DatabaseClient db;
    private final SqlValues values;
    private final StatementRepeat repeat;
    private final TransactionalOperator transactions;

    public R2dbcJobStore(DatabaseClient db, JsonMapper json) {
        this(db, json, StatementRepeat.never());
    }

    R2dbcJobStore(DatabaseClient db, JsonMapper json, StatementRepeat repeat) {
        this.db = db;
        this.values = new SqlValues(json);
        this.repeat = repeat;
        this.transactions = TransactionalOperator.create(new R2dbcTransactionManager(db.getConnectionFactory()));
    }

    @Override
    public Mono<Job> create(NewJob job) {
        return db.sql("""
                        INSERT INTO jobs (command, parameters, description, owner, concurrency_group, state, created_at)
                        VALUES (:command, :parameters, :description, :owner, :group, :state, :createdAt)
                        RETURNING id""")
                .bind("command", job.command())
                .bind("parameters", values.toJson(job.parameters()))
                .bind("description", job.description())
                .bind("owner", job.owner())
                .bind("group", job.concurrencyGroup())
                .bind("state", JobState.QUEUED.wireName())
                .bind("createdAt", SqlValues.text(job.createdAt()))
                .map(row -> row.get("id", Long.class))
                .one()
                .flatMap(id -> recordOrigin(id, job).thenReturn(id))
                // A cut between the job and its origin must leave neither: a job run again without its origin would
                // pass for a new one.
                .as(transactions::transactional)
                .flatMap(this::find);
    }

    private Mono<Void> recordOrigin(long id, NewJob job) {
        if (job.retryOf() == null && (job.changes() == null || job.changes().isEmpty())) {
            return Mono.empty();
        }
        var spec = db.sql("INSERT INTO job_origins (job_id, retry_of, changes) VALUES (:id, :retryOf, :changes)")
                .bind("id", id)
                .bind("changes", values.toJson(job.changes() == null ? List.of() : job.changes()));
        return SqlValues.bindOrNull(spec, "retryOf", job.retryOf(), Long.class).then();
    }

    @Override
    public Mono<Job> find(long id) {
        return repeat.repeatable("job " + id,
                db.sql(SELECT_JOBS + "WHERE jobs.id = :id").bind("id", id).map(this::job).one());
    }

    @Override
    public Flux<Job> page(int limit, Long beforeId) {
        return repeat.repeatable("a page of jobs", db.sql(SELECT_JOBS + "WHERE jobs.id < :before ORDER BY jobs.id DESC LIMIT :limit")
                .bind("before", beforeId == null ? Long.MAX_VALUE : beforeId)
                .bind("limit", limit)
                .map(this::job)
                .all());
    }

    @Override
    public Flux<Job> inStates(Collection<JobState> states) {
        return repeat.repeatable("jobs by state", jobsInStates(states));
    }

    private Flux<Job> jobsInStates(Collection<JobState> states) {
        List<String> names = states.stream().map(JobState::wireName).toList();
        return db.sql(SELECT_JOBS + "WHERE jobs.state IN (:states) ORDER BY jobs.id")
                .bind("states", names)
                .map(this::job)
                .all();
    }

    @Override
    public Mono<Job> markStarted(long id, Instant at) {
        var spec = db.sql("UPDATE jobs SET state = :running, started_at = :at WHERE id = :id AND state = :queued")
                .bind("running", JobState.RUNNING.wireName())
                .bind("queued", JobState.QUEUED.wireName())
                .bind("at", SqlValues.text(at));
        return findIfChanged(spec, id);
    }

    @Override
    public Mono<Void> recordProcess(long id, long pid, String ioKey) {
        return repeat.repeatable("job " + id + "'s process", db.sql("UPDATE jobs SET pid = :pid, io_key = :ioKey WHERE id = :id")
                .bind("pid", pid).bind("ioKey", ioKey).bind("id", id).then());
    }

    @Override
    public Mono<Void> updateActiveState(long id, JobState state) {
        return repeat.repeatable("job " + id + "'s state", db.sql("UPDATE jobs SET state = :state WHERE id = :id AND state IN (:active)")
                .bind("state", state.wireName())
                .bind("active", JobState.ACTIVE.stream().map(JobState::wireName).toList())
                .bind("id", id)
                .then());
    }

    @Override
    public Mono<Void> updateStatus(long id, String status) {
        // A null status is the command clearing it.
        return repeat.repeatable("job " + id + "'s status",
                SqlValues.bindOrNull(db.sql("UPDATE jobs SET status = :status, progress = NULL WHERE id = :id"), "status", status, String.class)
                        .bind("id", id)
                        .then());
    }

    @Override
    public Mono<Void> updateProgress(long id, Progress progress) {
        return repeat.repeatable("job " + id + "'s progress",
                SqlValues.bindOrNull(db.sql("UPDATE jobs SET progress = :progress WHERE id = :id"),
                                "progress", values.toJson(progress), String.class)
                        .bind("id", id)
                        .then());
    }

    @Override
    public Mono<Void> recordCancelRequest(long id, String by) {
        return repeat.repeatable("job " + id + "'s cancel request",
                db.sql("UPDATE jobs SET cancelled_by = :by WHERE id = :id AND cancelled_by IS NULL")
                        .bind("by", by).bind("id", id).then());
    }

    @Override
    public Mono<Job> cancelQueued(long id, String by, Instant at) {
        var spec = db.sql("UPDATE jobs SET state = :cancelled, cancelled_by = :by, finished_at = :at "
                        + "WHERE id = :id AND (state = :queued"
                        + " OR state = :cancelledToo AND cancelled_by = :byToo AND finished_at = :atToo)")
                .bind("cancelled", JobState.CANCELLED.wireName())
                .bind("cancelledToo", JobState.CANCELLED.wireName())
                .bind("queued", JobState.QUEUED.wireName())
                .bind("by", by)
                .bind("byToo", by)
                .bind("at", SqlValues.text(at))
                .bind("atToo", SqlValues.text(at));
        return repeat.repeatable("job " + id + "'s cancel", findIfChanged(spec, id));
    }

    @Override
    public Mono<Job> finish(long id, JobState state, Integer exitCode, Instant at, String reason) {
        var spec = db.sql("""
                        UPDATE jobs SET state = :state, exit_code = :exitCode, finished_at = :at,
                                        reason = COALESCE(:reason, reason)
                        WHERE id = :id AND (state IN (:unfinished) OR state = :stateToo AND finished_at = :atToo)""")
                .bind("state", state.wireName())
                .bind("stateToo", state.wireName())
                .bind("at", SqlValues.text(at))
                .bind("atToo", SqlValues.text(at))
                .bind("unfinished", List.of(JobState.QUEUED.wireName(), JobState.RUNNING.wireName(),
                        JobState.AWAITING_INPUT.wireName()));
        spec = SqlValues.bindOrNull(spec, "exitCode", exitCode, Integer.class);
        spec = SqlValues.bindOrNull(spec, "reason", reason, String.class);
        return repeat.repeatable("job " + id + "'s end", findIfChanged(spec, id));
    }

    @Override
    public Flux<Job> finishedBeyondNewest(int keepNewest) {
        return repeat.repeatable("finished jobs", db.sql(SELECT_JOBS + """
                        WHERE jobs.state IN (:finished) AND jobs.id NOT IN (
                            SELECT id FROM jobs WHERE state IN (:finishedToo) ORDER BY id DESC LIMIT :keep)
                        ORDER BY jobs.id""")
                .bind("finished", FINISHED)
                .bind("finishedToo", FINISHED)
                .bind("keep", keepNewest)
                .map(this::job)
                .all());
    }

    @Override
    public Mono<Boolean> deleteIfFinished(long id) {
        // Prompts go with the job (ON DELETE CASCADE); the state check is what keeps a live job safe.
        return db.sql("DELETE FROM jobs WHERE id = :id AND state IN (:finished)")
                .bind("id", id)
                .bind("finished", FINISHED)
                .fetch().rowsUpdated()
                .map(rows -> rows == 1);
    }

    /** Runs a conditional update of job {@code id}; the updated job, or empty when the condition did not hold. */
    private Mono<Job> findIfChanged(DatabaseClient.GenericExecuteSpec update, long id) {
        return update.bind("id", id)
                .fetch().rowsUpdated()
                .filter(rows -> rows == 1)
                .flatMap(rows -> find(id));
    }

    private Job job(Readable row) {
        return new Job(
                row.get("id", Long.class),
                row.get("command", String.class),
                values.fromJson(row, "parameters", PARAMETERS),
                row.get("description", String.class),
                row.get("owner", String.class),
                row.get("concurrency_group", String.class),
                JobState.fromWireName(row.get("state", String.class)),
                row.get("status", String.class),
                values.fromJson(row, "progress", Progress.class),
                SqlValues.instant(row, "created_at"),
                SqlValues.instant(row, "started_at"),
                SqlValues.instant(row, "finished_at"),
                row.get("exit_code", Integer.class),
                row.get("cancelled_by", String.class),
                row.get("reason", String.class),
                row.get("pid", Long.class),
                row.get("io_key", String.class),
                row.get("retry_of", Long.class),
                Objects.requireNonNullElse(values.fromJson(row, "changes", CHANGES), List.of()));
    }
}
