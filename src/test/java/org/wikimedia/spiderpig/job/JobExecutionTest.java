package org.wikimedia.spiderpig.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.Progress;
import org.wikimedia.spiderpig.runner.JobProcess;
import org.wikimedia.spiderpig.runner.RunnerEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** A cancel's own events are recorded before the subprocess is signalled, so its end never comes first. */
class JobExecutionTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final AtomicInteger signals = new AtomicInteger();
    private final JobProcess process = new JobProcess() {
        @Override
        public long pid() {
            return 4242;
        }

        @Override
        public Flux<RunnerEvent> events() {
            return Flux.never();
        }

        @Override
        public Mono<Void> answer(String line) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> cancel(java.util.function.Function<String, Mono<Void>> beforeEachSignal) {
            return Mono.fromRunnable(signals::incrementAndGet);
        }

        @Override
        public Mono<Boolean> signal(String signal) {
            return Mono.just(true);
        }
    };

    private static JobExecution execution() {
        return new JobExecution(new Job(7, "backport", Map.of("changeIds", List.of("1")), "Backport 1", "alice",
                "backport", JobState.AWAITING_INPUT, null, null, Instant.EPOCH, Instant.EPOCH, null, null, null, null,
                4242L, "key", null, List.of()));
    }

    @Test
    void theSubprocessIsSignalledOnlyAfterTheCancelIsRecorded() {
        JobExecution execution = execution();
        execution.attach(process);
        Sinks.Empty<Void> recording = Sinks.empty();

        assertThat(execution.requestCancel(recording.asMono())).isTrue();
        assertThat(execution.requestCancel(Mono.error(new AssertionError("a second cancel records nothing")))).isFalse();

        assertThat(signals).hasValue(0);
        StepVerifier.create(execution.cancelRecorded())
                .then(recording::tryEmitEmpty)
                .expectComplete()
                .verify(DEADLINE);
        assertThat(signals).hasValue(1);
    }

    @Test
    void aCancelDuringTheStartReachesTheProcessOnceRecorded() {
        JobExecution execution = execution();
        Sinks.Empty<Void> recording = Sinks.empty();
        execution.requestCancel(recording.asMono());

        execution.attach(process);
        assertThat(signals).hasValue(0);
        recording.tryEmitEmpty();

        StepVerifier.create(execution.cancelRecorded()).expectComplete().verify(DEADLINE);
        assertThat(signals.get()).isPositive();
    }

    @Test
    void aFailedRecordingStillStopsTheProcess() {
        JobExecution execution = execution();
        execution.attach(process);

        execution.requestCancel(Mono.error(new IllegalStateException("the database is gone")));

        StepVerifier.create(execution.cancelRecorded()).expectError(IllegalStateException.class).verify(DEADLINE);
        assertThat(signals).hasValue(1);
    }

    @Test
    void aNewStatusDropsTheLastStepsProgressNotSavedYet() {
        JobExecution execution = execution();
        execution.noteProgress(new Progress("sync-testservers", 4, 0, 4, 0, 4, 100, 0, true));
        execution.noteStatus("Sync k8s canaries");

        assertThat(execution.takeStatus()).contains("Sync k8s canaries");
        assertThat(execution.takeProgress()).isNull();
    }

    @Test
    void progressAfterTheStatusIsKept() {
        JobExecution execution = execution();
        execution.noteStatus("Sync k8s canaries");
        var progress = new Progress("sync-canaries-k8s", 1, 1, 0, 0, 0, 0, 1, false);
        execution.noteProgress(progress);

        assertThat(execution.takeProgress()).isEqualTo(progress);
    }
}
