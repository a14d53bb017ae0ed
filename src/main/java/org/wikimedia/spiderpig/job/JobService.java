package org.wikimedia.spiderpig.job;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.model.CancelRequested;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.StateChanged;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.security.SpiderPigUser;
import org.wikimedia.spiderpig.store.JobStore.NewJob;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** What users do with jobs: start, look at, cancel. */
public class JobService {

    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);

    private final JobTypes types;
    private final JobStore store;
    private final JobEventLogs logs;
    private final JobQueue queue;
    private final ActiveJobs active;
    private final Prompts prompts;
    private final JobChanges changes;
    private final JobViews views;
    private final ChangeDetailsOfJob changeDetails;
    private final Clock clock;

    public JobService(JobTypes types, JobStore store, JobEventLogs logs, JobQueue queue, ActiveJobs active,
                      Prompts prompts, JobChanges changes, JobViews views, ChangeDetailsOfJob changeDetails,
                      Clock clock) {
        this.types = types;
        this.store = store;
        this.logs = logs;
        this.queue = queue;
        this.active = active;
        this.prompts = prompts;
        this.changes = changes;
        this.views = views;
        this.changeDetails = changeDetails;
        this.clock = clock;
    }

    /**
     * Validates and queues a job; it starts as soon as its concurrency group is free. A job with Gerrit changes
     * records their details first; a change Gerrit does not know is a 400, one it could not be asked about is
     * recorded as such and does not stop the job.
     */
    public Mono<JobView> create(String command, Map<String, Object> parameters, SpiderPigUser user) {
        return create(command, parameters, user, null);
    }

    /**
     * Starts a finished job's changes again as a new job of the same type (with fresh details from Gerrit),
     * linked to the one it repeats. Only jobs made of Gerrit changes can be run again; a job still queued or
     * running is a 409.
     */
    public Mono<JobView> retry(long id, SpiderPigUser user) {
        return store.find(id)
                .switchIfEmpty(Mono.error(() -> noSuchJob(id)))
                .flatMap(job -> {
                    if (!job.state().isFinal()) {
                        return Mono.error(new Problem(409, "job-not-finished", "Job not finished",
                                "Job " + id + " is still " + job.state().wireName() + "; it can be run again once it has finished.",
                                Map.of("state", job.state().wireName())));
                    }
                    boolean madeOfChanges = types.find(job.command())
                            .map(type -> type.validator() instanceof ChangeIdsValidator).orElse(false);
                    if (!madeOfChanges) {
                        return Mono.error(new Problem(409, "not-retryable", "Job cannot be run again",
                                "Job " + id + " is a " + job.command() + " job; only backports can be run again."));
                    }
                    return create(job.command(), new LinkedHashMap<>(job.parameters()), user, id);
                });
    }

    private Mono<JobView> create(String command, Map<String, Object> parameters, SpiderPigUser user, Long retryOf) {
        return Mono.fromCallable(() -> {
                    JobType type = types.require(command);
                    return Map.entry(type, type.validator().validate(parameters));
                })
                .flatMap(checked -> changeDetails.of(checked.getValue().parameters().get(ChangeIdsValidator.FIELD))
                        .map(details -> {
                            JobType type = checked.getKey();
                            ParameterValidator.ValidParameters valid = checked.getValue();
                            return new NewJob(type.name(), valid.parameters(), type.describe(valid.summary()),
                                    user.name(), type.concurrencyGroup(), clock.instant(), retryOf, details);
                        }))
                .flatMap(store::create)
                .flatMap(job -> queue.accepted(job).thenReturn(job))
                .flatMap(job -> logs.forJob(job.id()).append(new StateChanged(JobState.QUEUED, null))
                        .then(views.full(job)))
                .doOnNext(view -> {
                    changes.publish(new JobChange(JobChange.Kind.CREATED, view, null));
                    queue.poke(view.concurrencyGroup());
                });
    }

    public Mono<JobView> get(long id) {
        return views.full(id);
    }

    /** A page of jobs, newest first, and whether there are older ones. */
    public Mono<JobPage> page(int limit, Long beforeId) {
        return store.page(limit + 1, beforeId)
                .collectList()
                .flatMap(jobs -> Flux.fromIterable(jobs.subList(0, Math.min(limit, jobs.size())))
                        .concatMap(views::brief)
                        .collectList()
                        .map(page -> new JobPage(page, jobs.size() > limit ? page.get(page.size() - 1).id() : null)));
    }

    /** {@code nextBefore} is the id to pass as {@code before} for the next page, null on the last one. */
    public record JobPage(List<JobView> jobs, Long nextBefore) {
    }

    /** Jobs running or waiting for an answer, and jobs waiting their turn, oldest first. */
    public Mono<ServerActivity> activity() {
        return store.inStates(Set.of(JobState.QUEUED, JobState.RUNNING, JobState.AWAITING_INPUT))
                .concatMap(views::brief)
                .collectList()
                .map(jobs -> new ServerActivity(
                        jobs.stream().filter(j -> !j.state().equals(JobState.QUEUED.wireName())).toList(),
                        jobs.stream().filter(j -> j.state().equals(JobState.QUEUED.wireName())).toList()));
    }

    public record ServerActivity(List<JobView> active, List<JobView> queued) {
    }

    /**
     * A queued job is cancelled at once; a running one gets SIGINT on its process group (then SIGTERM and
     * SIGKILL) and becomes {@code cancelled} when it exits. A finished job is a 409.
     */
    public Mono<JobView> cancel(long id, SpiderPigUser user) {
        return store.find(id)
                .switchIfEmpty(Mono.error(() -> noSuchJob(id)))
                .flatMap(job -> {
                    if (job.state().isFinal()) {
                        return Mono.error(alreadyFinished(job));
                    }
                    return store.cancelQueued(id, user.name(), clock.instant())
                            .flatMap(cancelled -> endCancelledQueuedJob(cancelled, user).thenReturn(true))
                            .switchIfEmpty(Mono.defer(() -> cancelRunning(id, user).thenReturn(true)));
                })
                .then(views.full(id));
    }

    private Mono<Void> endCancelledQueuedJob(Job job, SpiderPigUser user) {
        JobEventLog log = logs.forJob(job.id());
        return log.append(new CancelRequested(user.name()))
                .then(log.append(note(user.name() + " cancelled the job before it started")))
                .then(log.append(new StateChanged(JobState.CANCELLED, null)))
                .then(log.append(new JobEnded(JobState.CANCELLED, null)))
                .then(views.full(job))
                .doOnNext(view -> changes.publish(new JobChange(JobChange.Kind.FINISHED, view, null)))
                .then();
    }

    /**
     * Records the cancel (each step on its own, so one that fails does not skip the others), then signals
     * the process group. Answers once recorded, or once recording failed or passed its deadline: the
     * process is signalled in any case, and the job ends (see {@link JobExecution#requestCancel}). A
     * second cancel answers with the first one's recording.
     */
    private Mono<Void> cancelRunning(long id, SpiderPigUser user) {
        return active.find(id)
                .map(execution -> {
                    Mono<Void> record = bestEffort(id, "record who cancelled", store.recordCancelRequest(id, user.name()))
                            .then(bestEffort(id, "log the cancel", logs.forJob(id).append(new CancelRequested(user.name()))))
                            .then(bestEffort(id, "note the cancel", logs.forJob(id).append(note(user.name() + " cancelled the job"))))
                            .then(bestEffort(id, "close its prompt",
                                    prompts.closePending(id, "The job is being cancelled by " + user.name())));
                    execution.requestCancel(record, signal -> logs.forJob(id).append(note(SignalWords.note(signal))).then());
                    return execution.cancelRecorded().onErrorResume(e -> {
                        LOG.warn("job {}: its cancel was not recorded in time; its processes are being ended anyway", id, e);
                        return Mono.empty();
                    });
                })
                // Runs on another instance, or finished between the read and now: the job's record says which.
                .orElseGet(() -> store.find(id)
                        .flatMap(job -> job.state().isFinal() ? Mono.error(alreadyFinished(job))
                                : active.passOnIfElsewhere(id, other -> other.cancel(id, user.name())).then()));
    }

    private static Mono<Void> bestEffort(long id, String what, Mono<?> work) {
        return Mono.defer(() -> work).then().onErrorResume(e -> {
            LOG.error("job {}: could not {} on cancel", id, what, e);
            return Mono.empty();
        });
    }

    /**
     * Sends one signal to a running job's process group now, after logging who sent it. A queued job has no
     * process yet and a finished one none any more: both are a 409.
     */
    public Mono<JobView> signal(long id, String signalName, SpiderPigUser user) {
        return store.find(id)
                .switchIfEmpty(Mono.error(() -> noSuchJob(id)))
                .flatMap(job -> {
                    JobSignal signal = JobSignal.require(signalName);
                    if (job.state().isFinal()) {
                        return Mono.error(alreadyFinished(job, "to signal"));
                    }
                    return active.find(id)
                            // still starting: nothing to signal yet, and nothing to log as sent
                            .filter(JobExecution::started)
                            .map(execution -> logs.forJob(id)
                                    .append(note(user.name() + " sent SIG" + signal.unixName() + " (" + signal.wireName()
                                            + ") to the job's process group"))
                                    // the log has ended: the job ended between the look-up and now
                                    .onErrorMap(IllegalStateException.class, ended -> notRunning(job))
                                    .then(execution.signal(signal)))
                            // Runs on another instance: that one logs and sends it.
                            .orElseGet(() -> active.passOnIfElsewhere(id, other -> other.signal(id, signal, user.name())))
                            .flatMap(delivered -> delivered ? Mono.empty() : Mono.error(notRunning(job)));
                })
                .then(Mono.defer(() -> views.full(id)));
    }

    /** A line of SpiderPig's own in the job's log (stderr, like its other notes). */
    private static OutputLine note(String text) {
        return OutputLine.unnumbered(OutputLine.Stream.STDERR, "[spiderpig] " + text, false);
    }

    static Problem noSuchJob(long id) {
        return Problem.notFound("There is no job " + id + ".");
    }

    private static Problem alreadyFinished(Job job) {
        return alreadyFinished(job, "to cancel");
    }

    private static Problem alreadyFinished(Job job, String what) {
        return new Problem(409, "job-finished", "Job already finished",
                "Job " + job.id() + " has already finished (" + job.state().wireName() + "); there is nothing " + what + ".",
                Map.of("state", job.state().wireName()));
    }

    private static Problem notRunning(Job job) {
        return new Problem(409, "job-not-running", "Job not running",
                "Job " + job.id() + " has no running process to signal (it is " + job.state().wireName() + ").",
                Map.of("state", job.state().wireName()));
    }
}
