package org.wikimedia.spiderpig.job;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.eventlog.EventSize;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.masking.PrivateKeyBlocks;
import org.wikimedia.spiderpig.metrics.JobMetrics;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.model.InteractionOpened;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.SpoolMark;
import org.wikimedia.spiderpig.model.ProgressChanged;
import org.wikimedia.spiderpig.model.StateChanged;
import org.wikimedia.spiderpig.model.StatusChanged;
import org.wikimedia.spiderpig.runner.JobProcess;
import org.wikimedia.spiderpig.runner.LaunchSpec;
import org.wikimedia.spiderpig.runner.ProcessLauncher;
import org.wikimedia.spiderpig.runner.ProcessStartException;
import org.wikimedia.spiderpig.runner.RunnerEvent;
import org.wikimedia.spiderpig.store.JobStore;
import org.wikimedia.spiderpig.store.StoreUnavailable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs one started job from launch to its final state: every runner event goes into the job's event log
 * (and, for status and progress, into its record and the overview), prompts go to {@link Prompts}.
 *
 * <p>Whatever fails on the way (an {@link Error} too: a reader of the output, the log's writer, the
 * database) ends the job: its process group is ended, it becomes {@code failed} with a reason that says
 * what broke, its prompt is closed, and its run completes so that its group's next job starts. Each step of
 * ending a job has a deadline ({@link Settings#stepTimeout()}) and a failed step does not stop the next.
 */
public class JobExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(JobExecutor.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Settings of the runner shared by every job type. */
    public record Settings(Duration promptIdle, int maxLineBytes, Duration recordUpdateInterval,
                           Map<String, String> extraEnvironment, Duration stepTimeout, long appendBacklogBytes) {
    }

    /**
     * Events between the job's readers and its log: few, because each may be a line of max-line-bytes
     * (the readers wait for demand, so this bounds what is in flight).
     */
    static final int EVENTS_IN_FLIGHT = 16;
    private static final int FINISH_RETRIES = 3;
    /** As a call waiting out an outage of the database pauses (OutageRetry): the re-attach follows it soon. */
    private static final Duration STORE_PROBE_FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration STORE_PROBE_MAX_PAUSE = Duration.ofSeconds(2);
    static final String REATTACHED_NOTICE = "[spiderpig] The database could not be reached for longer than"
            + " spiderpig.database.outage-retry while this job ran. The job went on under its supervisor, its output"
            + " kept in its spool; SpiderPig re-attached to it when the database answered again, and its log goes on"
            + " from where it was.";

    private final JobTypes types;
    private final ProcessLauncher launcher;
    private final UnaryOperator<List<String>> commandResolver;
    private final JobStore store;
    private final JobEventLogs logs;
    private final JobChanges changes;
    private final JobViews views;
    private final Prompts prompts;
    private final ActiveJobs active;
    private final Settings settings;
    private final JobMetrics metrics;
    private final Clock clock;

    public JobExecutor(JobTypes types, ProcessLauncher launcher, UnaryOperator<List<String>> commandResolver,
                       JobStore store, JobEventLogs logs, JobChanges changes, JobViews views, Prompts prompts,
                       ActiveJobs active, Settings settings, JobMetrics metrics, Clock clock) {
        this.types = types;
        this.launcher = launcher;
        this.commandResolver = commandResolver;
        this.store = store;
        this.logs = logs;
        this.changes = changes;
        this.views = views;
        this.prompts = prompts;
        this.active = active;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Runs a job that the queue has just marked running; completes when it reached its final state (also
     * when that could not be fully recorded: the errors are logged, the queue must go on).
     */
    public Mono<Void> run(Job job) {
        return Mono.defer(() -> runNow(job));
    }

    private Mono<Void> runNow(Job job) {
        String ioKey = newIoKey();
        // With its io key, which its record gets only once the process runs: a re-attach after an outage needs it.
        JobExecution execution = active.register(job.withIoKey(ioKey), settings.stepTimeout(),
                settings.appendBacklogBytes());
        JobEventLog log = logs.forJob(job.id());
        Mono<JobProcess> started = log.append(new StateChanged(JobState.RUNNING, null))
                .then(publish(JobChange.Kind.UPDATED, job.id()))
                .then(Mono.defer(() -> launcher.launch(spec(job, ioKey))));
        return drive(execution, log, started, new AnswerBeforeItsPrompt(), process -> {
            execution.attach(process);
            return store.recordProcess(job.id(), process.pid(), ioKey);
        });
    }

    /**
     * Re-attaches to a job that an earlier server process left running: its process is read on from the
     * spool mark its log kept, so its log continues with exactly the events it lacks. Empty when the job's
     * process cannot be found (it was not started under a supervisor); otherwise the job's run, registered as
     * active already (answers reach it at once) and to be subscribed by the caller.
     */
    public Mono<Optional<Mono<Void>>> reattach(Job job) {
        return reattach(job, null, false);
    }

    /**
     * {@link #reattach(Job)}, with {@code notice} (if not null) logged before the events read on; {@code cancelled}:
     * someone asked to cancel the job before the server let go of it, so its processes are ended (again: a cancel
     * answers only while something of the group lives) and its end is {@code cancelled}.
     */
    private Mono<Optional<Mono<Void>>> reattach(Job job, String notice, boolean cancelled) {
        if (job.ioKey() == null) {
            return Mono.just(Optional.empty());
        }
        return logs.open(job.id())
                .flatMap(log -> log.lastMark()
                        .flatMap(mark -> launcher.reattach(spec(job, job.ioKey()), mark.orElse(SpoolMark.START)))
                        .flatMap(found -> found.isEmpty() ? Mono.just(Optional.<Mono<Void>>empty())
                                : resume(job, log, found.get(), notice, cancelled).map(Optional::of)));
    }

    private Mono<Mono<Void>> resume(Job job, JobEventLog log, JobProcess process, String notice, boolean cancelled) {
        LOG.info("job {} was left running by {}; re-attached to its process (group {})", job.id(),
                notice == null ? "a previous server process" : "this server while the database was away", process.pid());
        JobExecution execution = active.register(job, settings.stepTimeout(), settings.appendBacklogBytes());
        if (cancelled) {
            // Its cancel's own events were recorded (or given up on) before the server let go of it.
            execution.requestCancel(Mono.empty());
        }
        execution.attach(process);
        AnswerBeforeItsPrompt askedAgain = new AnswerBeforeItsPrompt();
        return new PromptsAfterRestart(job, log, prompts, store).reconcile()
                .doOnNext(answers -> {
                    if (answers.askedAgain() != null) {
                        askedAgain.hold(answers.askedAgain());
                    }
                })
                .flatMap(answers -> Flux.fromIterable(answers.sendAgain())
                        .concatMap(answered -> handOnAgain(job, process, answered))
                        .then())
                .onErrorResume(e -> {
                    LOG.error("job {}: could not check its prompts after the restart", job.id(), e);
                    return Mono.empty();
                })
                .then(notice == null ? Mono.empty() : step(job.id(), "log that it was re-attached",
                        log.append(OutputLine.unnumbered(OutputLine.Stream.STDERR, notice, false))))
                .thenReturn(drive(execution, log, Mono.just(process), askedAgain, attached -> Mono.empty()));
    }

    private static Mono<Void> handOnAgain(Job job, JobProcess process, Interaction answered) {
        return handOnAgain(job, process.answer(answered.id(), answered.response()), answered);
    }

    private static Mono<Void> handOnAgain(Job job, Mono<Void> answering, Interaction answered) {
        return answering.onErrorResume(e -> {
            LOG.warn("job {}: could not hand answer {} on again", job.id(), answered.id(), e);
            return Mono.empty();
        });
    }

    /**
     * The spool asked again the prompt that a previous server stored, and someone answered, but never logged:
     * logged now as it would have been, with the prompt's spool mark, and its answer written to the command.
     */
    private Mono<Void> answerAskedAgain(JobExecution execution, JobEventLog log, Interaction answered, SpoolMark mark) {
        return log.append(new InteractionOpened(AnswerBeforeItsPrompt.asOpened(answered)), mark)
                .then(PromptsAfterRestart.logAnswer(log, answered))
                .then(Mono.defer(() -> handOnAgain(execution.job(),
                        execution.answer(answered.id(), answered.response()), answered)));
    }

    /**
     * Runs the job's events from its process into its log until the job's end (or the server lets go of it);
     * {@code beforeEvents} runs first, in the same chain, so that its failure ends the job like any other.
     */
    private Mono<Void> drive(JobExecution execution, JobEventLog log, Mono<JobProcess> started,
                             AnswerBeforeItsPrompt askedAgain,
                             java.util.function.Function<JobProcess, Mono<Void>> beforeEvents) {
        Job job = execution.job();
        // Decided as lines are appended, so every reader of the log hides the same lines.
        PrivateKeyBlocks keyBlocks = new PrivateKeyBlocks();
        Disposable recordUpdates = Flux.interval(settings.recordUpdateInterval())
                // A slow save skips ticks instead of queueing them; the next save takes the latest values.
                .onBackpressureDrop()
                .concatMap(tick -> saveStatusAndProgress(execution).onErrorResume(e -> {
                    LOG.warn("job {}: could not save its status and progress", job.id(), e);
                    return Mono.empty();
                }), 1)
                .subscribe();
        return started
                .flatMap(process -> beforeEvents.apply(process)
                        .thenMany(process.events()
                                .concatMap(event -> handle(execution, log, keyBlocks, askedAgain, event, null), EVENTS_IN_FLIGHT))
                        .then())
                // A failure reported apart from the events (they may be stuck behind it) ends the run too.
                .or(execution.failed())
                .onErrorResume(ProcessStartException.class, e -> step(job.id(), "log why it could not start", log
                        .append(OutputLine.unnumbered(OutputLine.Stream.STDERR, "[spiderpig] " + e.getMessage(), false)))
                        .then(finish(execution, JobState.FAILED, null, e.getMessage())))
                .onErrorResume(e -> execution.detached() ? Mono.empty()
                        : canWaitOut(execution, e) ? letGoUntilStoreAnswers(execution, e) : failed(execution, log, e))
                .doFinally(signal -> {
                    recordUpdates.dispose();
                    active.remove(job.id(), execution);
                })
                .then(Mono.defer(() -> execution.awaitingStore() ? reattachWhenStoreAnswers(execution) : Mono.empty()));
    }

    /**
     * Whether the job's pipeline broke only because the database stayed away past its outage retry while the
     * job's process runs on under its supervisor, keeping its output in its spool: then nothing is lost by
     * letting go of it until the database answers, as a server stopping does. A job being cancelled too: its
     * processes are being ended all the same, and its end, once recorded, is the cancel's.
     */
    private static boolean canWaitOut(JobExecution execution, Throwable failure) {
        return StoreUnavailable.in(failure).isPresent() && execution.started();
    }

    /**
     * Whether recording the end of a job whose process exited gave up only because the database stayed away: its
     * supervisor keeps the exit code and the spool, so the server can let go and, re-attached once the database
     * answers, read the exit again and record it then, as a restarted server would.
     */
    private static boolean canWaitOutEnd(JobExecution execution, Throwable failure) {
        return execution.processExited() && canWaitOut(execution, failure);
    }

    private Mono<Void> letGoUntilStoreAnswers(JobExecution execution, Throwable failure) {
        Job job = execution.job();
        LOG.warn("job {}: the database stayed unreachable ({}); letting go of its process (group {}), which runs on"
                        + " under its supervisor, until the database answers again", job.id(), failure.toString(),
                execution.pid());
        metrics.letGoDuringDatabaseOutage();
        execution.detachUntilStoreAnswers();
        return Mono.empty();
    }

    /**
     * Once the database answers again (asked again and again, each time waiting out the outage retry), re-attaches
     * to the job like a restarted server: its log, read anew, continues from the last spool mark it stored.
     */
    private Mono<Void> reattachWhenStoreAnswers(JobExecution away) {
        long id = away.job().id();
        return Mono.defer(() -> store.find(id))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, STORE_PROBE_FIRST_PAUSE).maxBackoff(STORE_PROBE_MAX_PAUSE))
                .flatMap(stored -> {
                    if (!JobState.ACTIVE.contains(stored.state())) {
                        LOG.warn("job {} is {} now that the database answers again; not re-attaching to it", id,
                                stored.state().wireName());
                        return Mono.empty();
                    }
                    return reattach(stored.ioKey() == null ? stored.withIoKey(away.job().ioKey()) : stored,
                            REATTACHED_NOTICE, away.cancelRequested() || stored.cancelledBy() != null);
                })
                // Away again before the job's run began (its log's end, its spool mark): nothing done yet, ask again.
                .retryWhen(Retry.backoff(Long.MAX_VALUE, STORE_PROBE_FIRST_PAUSE).maxBackoff(STORE_PROBE_MAX_PAUSE)
                        .filter(e -> StoreUnavailable.in(e).isPresent()))
                .flatMap(run -> run.orElseGet(() -> failed(away, logs.forJob(id),
                        new JobPipelineFailure("its process could not be found again after the database was away"))));
    }

    private LaunchSpec spec(Job job, String ioKey) {
        JobType type = types.require(job.command());
        List<String> command = new ArrayList<>(commandResolver.apply(type.command()));
        // The stored parameters were validated when the job was created; validating again gives their arguments.
        command.addAll(type.validator().validate(new LinkedHashMap<>(job.parameters())).arguments());
        Map<String, String> environment = new LinkedHashMap<>(settings.extraEnvironment());
        environment.putAll(type.environment());
        environment.put("SPIDERPIG_REAL_USER", job.owner());
        environment.put("SPIDERPIG_JOB_ID", Long.toString(job.id()));
        return new LaunchSpec(job.id(), List.copyOf(command), type.workingDirectory(), environment,
                ioKey, type.promptPatterns(), settings.promptIdle(), settings.maxLineBytes(),
                type.interruptGrace(), type.terminateGrace());
    }

    /**
     * The pipeline broke: ends the process group first (its output is no longer recorded), then the job,
     * as failed with what broke.
     */
    private Mono<Void> failed(JobExecution execution, JobEventLog log, Throwable e) {
        long id = execution.job().id();
        LOG.error("job {} failed inside the server", id, e);
        String reason = "SpiderPig failed while running the job: "
                + (e instanceof JobPipelineFailure ? e.getMessage() : e.toString());
        execution.finishing();
        return step(id, "end its processes", execution.endProcess(), processEndTimeout(execution.job()))
                .then(step(id, "log why it failed", log.append(
                        OutputLine.unnumbered(OutputLine.Stream.STDERR, "[spiderpig] " + reason, false))))
                .then(finish(execution, JobState.FAILED, null, reason));
    }

    /** SIGINT, SIGTERM and SIGKILL with the type's grace periods in between, and some time to spare. */
    private Duration processEndTimeout(Job job) {
        Duration graces;
        try {
            JobType type = types.require(job.command());
            graces = type.interruptGrace().plus(type.terminateGrace());
        } catch (RuntimeException typeGone) {
            graces = Duration.ofMinutes(1);
        }
        return graces.plus(settings.stepTimeout()).plusSeconds(5);
    }

    /** {@code mark}: the spool position after the event (null when it has none), persisted with it. */
    private Mono<Void> handle(JobExecution execution, JobEventLog log, PrivateKeyBlocks keyBlocks,
                              AnswerBeforeItsPrompt askedAgain, RunnerEvent event, SpoolMark mark) {
        Job job = execution.job();
        if (event instanceof RunnerEvent.Marked marked) {
            return handle(execution, log, keyBlocks, askedAgain, marked.event(), marked.mark());
        } else if (event instanceof RunnerEvent.Output output) {
            metrics.outputLine(output.stream(), output.text());
            List<OutputLine> lines = keyBlocks.lines(OutputLine.unnumbered(output.stream(), output.text(), output.sensitive()));
            Mono<Void> appended = Mono.empty();
            for (int i = 0; i < lines.size(); i++) {
                OutputLine line = lines.get(i);
                // Each append is queued when called, in order; only the waits are chained. The mark goes with
                // the last, so a restart never reads on past a line that is not in the log.
                appended = appended.then(execution.appended(log.append(line, i == lines.size() - 1 ? mark : null),
                        EventSize.of(line)));
            }
            return appended;
        } else if (event instanceof RunnerEvent.Status status) {
            execution.noteStatus(status.status());
            StatusChanged changed = new StatusChanged(status.status());
            return execution.appended(log.append(changed, mark), EventSize.of(changed));
        } else if (event instanceof RunnerEvent.ProgressReport report) {
            execution.noteProgress(report.progress());
            ProgressChanged changed = new ProgressChanged(report.progress());
            return execution.appended(log.append(changed, mark), EventSize.of(changed));
        } else if (event instanceof RunnerEvent.Prompt prompt) {
            Optional<Interaction> answered = askedAgain.takeFor(prompt);
            if (answered.isPresent()) {
                return execution.allAppended().then(answerAskedAgain(execution, log, answered.get(), mark));
            }
            return execution.allAppended().then(saveStatusAndProgress(execution)).then(prompts.open(job, prompt, mark));
        } else if (event instanceof RunnerEvent.Lost lost) {
            return execution.allAppended()
                    .then(step(job.id(), "log that its process was lost", log.append(
                            OutputLine.unnumbered(OutputLine.Stream.STDERR, "[spiderpig] " + lost.reason(), false))))
                    .then(finish(execution, JobState.INTERRUPTED, null, lost.reason()));
        } else if (event instanceof RunnerEvent.Exited exited) {
            JobState outcome = execution.cancelRequested() ? JobState.CANCELLED
                    : exited.exitCode() == 0 ? JobState.SUCCEEDED : JobState.FAILED;
            String reason = exited.signal() == null ? null : SignalWords.endReason(exited.signal());
            execution.exited();
            return execution.allAppended()
                    .then(execution.cancelRecorded().onErrorResume(recordingFailed -> Mono.empty()))
                    .then(finish(execution, outcome, exited.exitCode(), reason));
        }
        return Mono.error(new IllegalArgumentException("unknown runner event " + event));
    }

    /**
     * Saves the last status, closes the prompt, records and logs the end, tells the overview: each step
     * with a deadline, and a failed step does not stop the next (the record is retried a few times first).
     */
    private Mono<Void> finish(JobExecution execution, JobState outcome, Integer exitCode, String reason) {
        execution.finishing();
        long id = execution.job().id();
        JobEventLog log = logs.forJob(id);
        String closeReason = outcome == JobState.CANCELLED ? "The job was cancelled" : "The job ended";
        Mono<Boolean> recorded = store.finish(id, outcome, exitCode, clock.instant(), reason)
                .timeout(settings.stepTimeout())
                .retryWhen(Retry.backoff(FINISH_RETRIES, Duration.ofMillis(200)))
                .doOnNext(finished -> recordDuration(finished, outcome))
                .map(finished -> true)
                // Empty: the job already was in a final state, and its log already ended.
                .defaultIfEmpty(false)
                .onErrorResume(e -> {
                    if (canWaitOutEnd(execution, e)) {
                        // Its log's end waits too: written now, it would stand again after the re-attach's lines.
                        return letGoUntilStoreAnswers(execution, e).thenReturn(false);
                    }
                    LOG.error("job {}: could not record its end ({}); its log and the overview still say so", id, outcome, e);
                    return Mono.just(true);
                });
        return step(id, "save its status", Mono.defer(() -> saveStatusAndProgress(execution)))
                .then(step(id, "close its prompt", Mono.defer(() -> prompts.closePending(id, closeReason))))
                .then(recorded)
                .flatMap(ended -> ended
                        ? step(id, "log its end", log.append(new StateChanged(outcome, exitCode))
                                .then(log.append(new JobEnded(outcome, exitCode))))
                                .then(step(id, "announce its end", publish(JobChange.Kind.FINISHED, id)))
                                .then(Mono.fromRunnable(execution::discardProcess))
                        : Mono.empty());
    }

    private Mono<Void> step(long id, String what, Mono<?> work) {
        return step(id, what, work, settings.stepTimeout());
    }

    /** One step of ending a job: done, or logged as not done by its deadline, never an error. */
    private static Mono<Void> step(long id, String what, Mono<?> work, Duration timeout) {
        return work.timeout(timeout).then().onErrorResume(e -> {
            LOG.error("job {}: could not {}", id, what, e);
            return Mono.empty();
        });
    }

    private void recordDuration(Job finished, JobState outcome) {
        if (finished.startedAt() != null && finished.finishedAt() != null) {
            metrics.jobFinished(finished.command(), outcome, Duration.between(finished.startedAt(), finished.finishedAt()));
        }
    }

    /** Writes the latest status and progress to the job's record and tells the overview, if they changed. */
    private Mono<Void> saveStatusAndProgress(JobExecution execution) {
        long id = execution.job().id();
        Optional<String> status = execution.takeStatus();
        var progress = execution.takeProgress();
        if (status == null && progress == null) {
            return Mono.empty();
        }
        return (status == null ? Mono.<Void>empty() : store.updateStatus(id, status.orElse(null)))
                .then(progress == null ? Mono.<Void>empty() : store.updateProgress(id, progress))
                .then(publish(JobChange.Kind.UPDATED, id));
    }

    private Mono<Void> publish(JobChange.Kind kind, long id) {
        return views.full(id).doOnNext(view -> changes.publish(new JobChange(kind, view, null))).then();
    }

    private static String newIoKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return HexFormat.of().formatHex(key);
    }
}
