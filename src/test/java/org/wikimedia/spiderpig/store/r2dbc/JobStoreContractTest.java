package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.wikimedia.spiderpig.model.ChangeDetails;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.Progress;
import org.wikimedia.spiderpig.store.JobStore;
import org.wikimedia.spiderpig.store.JobStore.NewJob;
import org.wikimedia.spiderpig.support.StoreTestDatabase;

/** What every {@link JobStore} promises, on each database the server supports. */
@ParameterizedClass
@EnumSource(StoreTestDatabase.Kind.class)
class JobStoreContractTest extends DatabaseContract {

    private static final Instant AT = Instant.parse("2026-11-30T05:00:00.123456Z");

    private JobStore jobs;
    private R2dbcInteractionStore interactions;

    JobStoreContractTest(StoreTestDatabase.Kind kind) {
        super(kind);
    }

    @BeforeEach
    void openStores() {
        jobs = new R2dbcJobStore(db(), JSON);
        interactions = new R2dbcInteractionStore(db(), JSON);
    }

    @Test
    void aCreatedJobIsQueuedAndReadsBackAsWritten() {
        ChangeDetails change = new ChangeDetails("12345", "mediawiki/core", "master", "Fix it", "MERGED", "Fix it\n",
                "https://gerrit.example/12345", null);
        Job first = create("alice");
        Job retry = jobs.create(new NewJob("backport", Map.of("changeIds", List.of("12345", "67890")), "Backport",
                "bob", "deploy", AT, first.id(), List.of(change, ChangeDetails.unavailable("67890", "timeout"))))
                .block(WAIT);

        assertThat(retry.id()).isGreaterThan(first.id());
        Job read = jobs.find(retry.id()).block(WAIT);
        assertThat(read.state()).isEqualTo(JobState.QUEUED);
        assertThat(read.parameters()).isEqualTo(Map.of("changeIds", List.of("12345", "67890")));
        assertThat(read.owner()).isEqualTo("bob");
        assertThat(read.concurrencyGroup()).isEqualTo("deploy");
        assertThat(read.createdAt()).isEqualTo(AT);
        assertThat(read.retryOf()).isEqualTo(first.id());
        assertThat(read.changes()).containsExactly(change, ChangeDetails.unavailable("67890", "timeout"));
        assertThat(first.retryOf()).isNull();
        assertThat(first.changes()).isEmpty();
        assertThat(jobs.find(retry.id() + 1).block(WAIT)).isNull();
    }

    @Test
    void aJobWhoseOriginCannotBeWrittenIsNotCreated() {
        Job first = create("alice");
        // The origin's INSERT fails after the job's own went through: the two are one transaction or nothing.
        db().sql("ALTER TABLE job_origins RENAME TO job_origins_away").then().block(WAIT);
        try {
            assertThatThrownBy(() -> jobs.create(new NewJob("backport", Map.of("changeIds", List.of("1")),
                    "Backport 1", "bob", "backport", AT, first.id(), List.of())).block(WAIT))
                    .hasMessageContaining("job_origins");
        } finally {
            db().sql("ALTER TABLE job_origins_away RENAME TO job_origins").then().block(WAIT);
        }

        assertThat(jobs.page(10, null).map(Job::id).collectList().block(WAIT)).containsExactly(first.id());
        assertThat(create("carol").retryOf()).as("the next job is whole").isNull();
    }

    @Test
    void pagesAreNewestFirstAndContinueBelowAnId() {
        List<Long> ids = java.util.stream.IntStream.range(0, 5).mapToObj(i -> create("alice").id()).toList();

        assertThat(jobs.page(3, null).map(Job::id).collectList().block(WAIT))
                .containsExactly(ids.get(4), ids.get(3), ids.get(2));
        assertThat(jobs.page(3, ids.get(2)).map(Job::id).collectList().block(WAIT))
                .containsExactly(ids.get(1), ids.get(0));
        assertThat(jobs.inStates(List.of(JobState.QUEUED)).map(Job::id).collectList().block(WAIT))
                .containsExactlyElementsOf(ids);
    }

    @Test
    void aJobStartsOnlyFromQueuedAndACancelOnlyBeatsTheStart() {
        Job started = create("alice");
        Job cancelled = create("alice");

        assertThat(jobs.markStarted(started.id(), AT).block(WAIT).state()).isEqualTo(JobState.RUNNING);
        assertThat(jobs.markStarted(started.id(), AT).block(WAIT)).isNull();
        assertThat(jobs.cancelQueued(started.id(), "bob", AT).block(WAIT)).isNull();

        Job gone = jobs.cancelQueued(cancelled.id(), "bob", AT.plusSeconds(1)).block(WAIT);
        assertThat(gone.state()).isEqualTo(JobState.CANCELLED);
        assertThat(gone.cancelledBy()).isEqualTo("bob");
        assertThat(gone.finishedAt()).isEqualTo(AT.plusSeconds(1));
        assertThat(jobs.markStarted(cancelled.id(), AT).block(WAIT)).isNull();
        assertThat(jobs.inStates(JobState.ACTIVE).map(Job::id).collectList().block(WAIT)).containsExactly(started.id());
    }

    @Test
    void aRunningJobsDetailsAreUpdatedAndAFinalStateIsNeverLeft() {
        long id = create("alice").id();
        jobs.markStarted(id, AT).block(WAIT);
        Progress progress = new Progress("sync", 10, 2, 3, 0, 3, 30, 7, false);

        jobs.recordProcess(id, 4_000_000_000L, "io-key").block(WAIT);
        jobs.updateActiveState(id, JobState.AWAITING_INPUT).block(WAIT);
        jobs.updateStatus(id, "Syncing").block(WAIT);
        jobs.updateProgress(id, progress).block(WAIT);
        jobs.recordCancelRequest(id, "bob").block(WAIT);
        jobs.recordCancelRequest(id, "carol").block(WAIT);

        Job running = jobs.find(id).block(WAIT);
        assertThat(running.state()).isEqualTo(JobState.AWAITING_INPUT);
        assertThat(running.pid()).isEqualTo(4_000_000_000L);
        assertThat(running.ioKey()).isEqualTo("io-key");
        assertThat(running.status()).isEqualTo("Syncing");
        assertThat(running.progress()).isEqualTo(progress);
        assertThat(running.cancelledBy()).isEqualTo("bob");
        jobs.updateStatus(id, null).block(WAIT);
        jobs.updateProgress(id, null).block(WAIT);
        assertThat(jobs.find(id).block(WAIT).status()).isNull();
        assertThat(jobs.find(id).block(WAIT).progress()).isNull();

        Job failed = jobs.finish(id, JobState.FAILED, 3, AT.plusSeconds(9), "It broke").block(WAIT);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.reason()).isEqualTo("It broke");
        assertThat(failed.finishedAt()).isEqualTo(AT.plusSeconds(9));
        assertThat(jobs.finish(id, JobState.SUCCEEDED, 0, AT, null).block(WAIT)).isNull();
        jobs.updateActiveState(id, JobState.RUNNING).block(WAIT);
        assertThat(jobs.find(id).block(WAIT).state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void aNewStatusClearsTheLastStepsProgress() {
        long id = create("alice").id();
        jobs.markStarted(id, AT).block(WAIT);
        jobs.updateStatus(id, "Sync baremetal testservers").block(WAIT);
        jobs.updateProgress(id, new Progress("sync-testservers", 4, 0, 4, 0, 4, 100, 0, true)).block(WAIT);

        jobs.updateStatus(id, "Sync k8s canaries").block(WAIT);

        Job moved = jobs.find(id).block(WAIT);
        assertThat(moved.status()).isEqualTo("Sync k8s canaries");
        assertThat(moved.progress()).isNull();
    }

    @Test
    void finishingWithoutAReasonKeepsTheOneRecordedBefore() {
        long id = create("alice").id();
        jobs.markStarted(id, AT).block(WAIT);

        Job succeeded = jobs.finish(id, JobState.SUCCEEDED, null, AT, null).block(WAIT);

        assertThat(succeeded.exitCode()).isNull();
        assertThat(succeeded.reason()).isNull();
    }

    @Test
    void retentionSeesOnlyFinishedJobsBeyondTheNewestAndDeletesThemWithTheirPrompts() {
        List<Long> finished = java.util.stream.IntStream.range(0, 4).mapToObj(i -> {
            long id = create("alice").id();
            jobs.finish(id, JobState.SUCCEEDED, 0, AT, null).block(WAIT);
            return id;
        }).toList();
        long queued = create("alice").id();
        long prompted = finished.get(0);
        interactions.open(prompted, "choices", "Go?", Map.of("Yes", "y"), "y", AT).block(WAIT);

        assertThat(jobs.finishedBeyondNewest(2).map(Job::id).collectList().block(WAIT))
                .containsExactly(finished.get(0), finished.get(1));
        assertThat(jobs.deleteIfFinished(prompted).block(WAIT)).isTrue();
        assertThat(jobs.deleteIfFinished(prompted).block(WAIT)).isFalse();
        assertThat(jobs.deleteIfFinished(queued).block(WAIT)).isFalse();
        assertThat(jobs.find(prompted).block(WAIT)).isNull();
        assertThat(interactions.forJob(prompted).collectList().block(WAIT)).isEmpty();
        assertThat(jobs.find(queued).block(WAIT).state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void anIdIsNeverGivenAgainAfterItsJobWasDeleted() {
        long newest = create("alice").id();
        jobs.finish(newest, JobState.SUCCEEDED, 0, AT, null).block(WAIT);
        jobs.deleteIfFinished(newest).block(WAIT);

        assertThat(create("alice").id()).isGreaterThan(newest);
    }

    private Job create(String owner) {
        return jobs.create(new NewJob("backport", Map.of("changeIds", List.of("1")), "Backport 1", owner, "backport", AT))
                .block(WAIT);
    }
}
