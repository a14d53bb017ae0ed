package org.wikimedia.spiderpig.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.appendAll;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.end;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.line;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.mixedPayloads;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.range;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.seqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.SpoolMark;
import org.wikimedia.spiderpig.model.StateChanged;
import org.wikimedia.spiderpig.model.StatusChanged;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * What every {@link JobEventLogs} promises (order, seq and line numbers, following from any seq with no gap or
 * duplicate while appending, range reads, spool marks, reopening), run against each implementation.
 */
abstract class JobEventLogContract {

    /** Generous bound for StepVerifier.verify: a hang fails the test instead of blocking the build. */
    static final Duration DEADLINE = Duration.ofSeconds(60);

    EventLogFixture fixture;

    /** Logs over one storage, empty before the test's first call, the same storage on every later call. */
    abstract EventLogFixture newFixture(EventLogSettings settings);

    @BeforeEach
    void open() {
        fixture = newFixture(EventLogSettings.defaults());
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void appendsGetConsecutiveSeqsLineNumbersAndTheClocksTime() {
        JobEventLog log = fixture.logs.forJob(1);

        JobEvent state = log.append(new StateChanged(JobState.RUNNING, null)).block();
        JobEvent first = log.append(line("a")).block();
        JobEvent status = log.append(new StatusChanged("s")).block();
        JobEvent second = log.append(line("b")).block();

        assertThat(List.of(state.seq(), first.seq(), status.seq(), second.seq())).containsExactly(1L, 2L, 3L, 4L);
        assertThat(((OutputLine) first.payload()).line()).isEqualTo(1);
        assertThat(((OutputLine) second.payload()).line()).isEqualTo(2);
        assertThat(second.ts()).isEqualTo(EventLogFixture.T0);
        assertThat(second.jobId()).isEqualTo(1);
        assertThat(log.lastSeq()).isEqualTo(4);
        assertThat(log.lineCount()).isEqualTo(2);
    }

    @Test
    void storageWorkRunsOnTheIoSchedulerNotOnTheCallersThread() {
        JobEventLog log = fixture.logs.forJob(1);

        log.append(line("a")).block();
        String linesThread = log.lines(1, 2).map(event -> Thread.currentThread().getName()).blockFirst();
        String reopenThread = fixture.reopen().forJob(1).lines(1, 2)
                .map(event -> Thread.currentThread().getName()).blockFirst();

        assertThat(List.of(linesThread, reopenThread)).allMatch(name -> name.startsWith("event-log-io-test"));
    }

    @Test
    void concurrentAppendersGetEverySeqOnceAndLinesInSeqOrder() throws Exception {
        JobEventLog log = fixture.logs.forJob(1);
        int threads = 4;
        int perThread = 2_000;
        ConcurrentLinkedQueue<JobEvent> appended = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> appenders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < perThread; i++) {
                    appended.add(log.append(line("x")).block());
                }
            });
            thread.start();
            appenders.add(thread);
        }
        start.countDown();
        for (Thread thread : appenders) {
            thread.join();
        }

        List<JobEvent> all = log.follow(0).take(threads * perThread).collectList().block();
        assertThat(all).extracting(JobEvent::seq).containsExactlyElementsOf(range(1, threads * perThread));
        assertThat(all).extracting(event -> ((OutputLine) event.payload()).line())
                .containsExactlyElementsOf(range(1, threads * perThread));
        assertThat(appended).hasSize(threads * perThread);
    }

    @Test
    void appendsAfterTheEndAreRejected() {
        JobEventLog log = fixture.logs.forJob(1);
        log.append(line("a")).block();
        end(log);

        StepVerifier.create(log.append(line("late"))).expectError(IllegalStateException.class).verify(DEADLINE);
        StepVerifier.create(fixture.reopen().forJob(1).append(line("after restart")))
                .expectError(IllegalStateException.class).verify(DEADLINE);
        assertThat(fixture.logs.forJob(1).lastSeq()).isEqualTo(2);
    }

    @Test
    void followingAFinishedLogFromEveryPositionYieldsExactlyTheRest() {
        JobEventLog log = fixture.logs.forJob(1);
        long last = appendAll(log, mixedPayloads(300)).seq();
        long endSeq = end(log).seq();
        assertThat(endSeq).isEqualTo(last + 1);

        for (long after = 0; after <= endSeq + 2; after++) {
            List<Long> expected = after >= endSeq ? List.of() : range(after + 1, endSeq);
            assertThat(seqs(log.follow(after))).as("after %d", after).isEqualTo(expected);
        }
        // The same from the files alone, as after a restart.
        JobEventLog reopened = fixture.reopen().forJob(1);
        for (long after = 0; after <= endSeq; after += 7) {
            assertThat(seqs(reopened.follow(after))).as("reopened, after %d", after).isEqualTo(range(after + 1, endSeq));
        }
    }

    @Test
    void followingARunningLogFromRandomPositionsYieldsTheRestAndContinuesLive() {
        Random random = new Random(4);
        JobEventLog log = fixture.logs.forJob(1);
        appendAll(log, mixedPayloads(500));
        long written = log.lastSeq();
        List<Mono<List<Long>>> followers = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long after = random.nextLong(written + 1);
            positions.add(after);
            followers.add(log.follow(after).map(JobEvent::seq).collectList().cache());
        }
        followers.forEach(Mono::subscribe);

        appendAll(log, mixedPayloads(100));
        long endSeq = end(log).seq();

        for (int i = 0; i < followers.size(); i++) {
            assertThat(followers.get(i).block(DEADLINE)).as("after %d", positions.get(i))
                    .isEqualTo(range(positions.get(i) + 1, endSeq));
        }
    }

    /**
     * A follower that subscribes while an appender is running must see each event exactly once, whatever
     * the interleaving of its replay and the appends. A tiny ring forces hand-overs between file, ring and
     * live waiting.
     */
    @Test
    void handOverFromHistoryToLiveLosesAndDuplicatesNothingUnderConcurrentAppends() throws Exception {
        withSettings(new EventLogSettings(16, 8, 64));
        Random random = new Random(20261122);
        for (int round = 0; round < 200; round++) {
            JobEventLog log = fixture.logs.forJob(1000 + round);
            int before = random.nextInt(60);
            int during = 1 + random.nextInt(120);
            appendAll(log, mixedPayloads(before).isEmpty() ? List.of(new StatusChanged("start")) : mixedPayloads(before));
            long after = random.nextLong(log.lastSeq() + 1);
            CountDownLatch appenderStarted = new CountDownLatch(1);
            Thread appender = new Thread(() -> {
                appenderStarted.countDown();
                for (int i = 0; i < during; i++) {
                    log.append(line("live " + i));
                    if (i % 17 == 0) {
                        Thread.yield();
                    }
                }
                log.append(new JobEnded(JobState.SUCCEEDED, 0));
            });
            Flux<Long> followed = log.follow(after).map(JobEvent::seq);
            Flux<Long> paced = random.nextBoolean() ? followed : followed.limitRate(1 + random.nextInt(4));
            Mono<List<Long>> result = paced.collectList().cache();
            if (random.nextBoolean()) {
                result.subscribe();
                appender.start();
            } else {
                appender.start();
                appenderStarted.await();
                result.subscribe();
            }

            List<Long> seen = result.block(DEADLINE);
            appender.join();
            long endSeq = log.lastSeq();
            assertThat(seen).as("round %d after %d", round, after).isEqualTo(range(after + 1, endSeq));
        }
    }

    @Test
    void aSlowSubscriberCatchesUpFromTheFileWhileTheRingHoldsOnlyRecentEvents() {
        withSettings(new EventLogSettings(32, 8, 64));
        JobEventLog log = fixture.logs.forJob(1);
        appendAll(log, mixedPayloads(10));
        long start = log.lastSeq();

        StepVerifier.Step<JobEvent> slow = StepVerifier.create(log.follow(0), 1)
                .expectNextMatches(event -> event.seq() == 1);
        // While the subscriber holds still, far more than the ring is appended.
        long endSeq = appendAll(log, mixedPayloads(2_000)).seq() + 1;
        end(log);
        for (long seq = 2; seq <= endSeq; seq++) {
            long expected = seq;
            slow = slow.thenRequest(1).expectNextMatches(event -> event.seq() == expected);
        }
        slow.expectComplete().verify(DEADLINE);
        assertThat(start).isLessThan(endSeq);
    }

    @Test
    void aCancelledFollowerLeavesNothingBehind() {
        StoredJobEventLog log = (StoredJobEventLog) fixture.logs.forJob(1);
        appendAll(log, mixedPayloads(5));

        StepVerifier.create(log.follow(0)).expectNextCount(5).expectNoEvent(Duration.ZERO).thenCancel().verify(DEADLINE);

        assertThat(log.waiterCount()).isZero();
        assertThat(log.append(line("after")).block().seq()).isEqualTo(6);
    }

    @Test
    void aThousandFollowersEachGetEveryEvent() throws Exception {
        JobEventLog log = fixture.logs.forJob(1);
        int followers = 1_000;
        List<Mono<Long>> counts = new ArrayList<>();
        List<Mono<Long>> inOrder = new ArrayList<>();
        for (int i = 0; i < followers; i++) {
            Flux<JobEvent> follower = log.follow(0).publish().autoConnect(2);
            counts.add(follower.count().cache());
            inOrder.add(follower.map(JobEvent::seq).reduce(0L, (previous, seq) -> seq == previous + 1 ? seq : -1_000_000L)
                    .cache());
        }
        counts.forEach(Mono::subscribe);
        inOrder.forEach(Mono::subscribe);
        for (int i = 0; i < 2_000; i++) {
            log.append(line("line " + i));
        }
        long endSeq = end(log).seq();

        for (int i = 0; i < followers; i++) {
            assertThat(counts.get(i).block(DEADLINE)).isEqualTo(endSeq);
            assertThat(inOrder.get(i).block(DEADLINE)).isEqualTo(endSeq);
        }
    }

    @Test
    void linesNearTheEndOfALargeLogAndSeqBeforeLine() {
        JobEventLog log = fixture.logs.forJob(1);
        appendAll(log, mixedPayloads(100_000));
        assertThat(log.lineCount()).isEqualTo(100_000);
        assertThat(log.lastSeq()).isEqualTo(110_000);

        List<JobEvent> tail = log.lines(99_990, 100_001).collectList().block();
        assertThat(tail).extracting(event -> ((OutputLine) event.payload()).line())
                .containsExactlyElementsOf(range(99_990, 100_000));
        assertThat(tail).extracting(event -> ((OutputLine) event.payload()).text())
                .startsWith("line 99990").endsWith("line 100000");
        // Line n is seq n + (n-1)/10 (a status after every tenth line).
        assertThat(tail.get(0).seq()).isEqualTo(99_990 + 99_989 / 10);

        assertThat(log.lines(0, 3).map(event -> ((OutputLine) event.payload()).line()).collectList().block())
                .containsExactly(1L, 2L);
        assertThat(log.lines(50_000, 50_000).collectList().block()).isEmpty();
        assertThat(log.lines(200_000, 300_000).collectList().block()).isEmpty();
        assertThat(log.lines(1, 5_001).count().block()).isEqualTo(5_000);

        assertThat(log.seqBeforeLine(1).block()).isEqualTo(0);
        assertThat(log.seqBeforeLine(11).block()).isEqualTo(11);
        assertThat(log.seqBeforeLine(100_000).block()).isEqualTo(99_999 + 99_999 / 10);
        assertThat(log.seqBeforeLine(100_001).block()).isEqualTo(110_000);
        assertThat(log.seqBeforeLine(0).block()).isEqualTo(0);
        // A tail resume: following from seqBeforeLine(n) starts with line n.
        JobEvent firstOfTail = log.follow(log.seqBeforeLine(99_995).block()).blockFirst();
        assertThat(((OutputLine) firstOfTail.payload()).line()).isEqualTo(99_995);
    }

    @Test
    void reopenedLogContinuesWithTheNextSeqAndLine() {
        JobEventLog log = fixture.logs.forJob(1);
        appendAll(log, mixedPayloads(25));

        JobEventLog reopened = fixture.reopen().forJob(1);
        JobEvent next = reopened.append(line("after restart")).block();

        assertThat(next.seq()).isEqualTo(28);
        assertThat(((OutputLine) next.payload()).line()).isEqualTo(26);
        assertThat(seqs(reopened.follow(0).take(28))).isEqualTo(range(1, 28));
    }

    @Test
    void openReadsTheFilesOffTheCallersThread() {
        appendAll(fixture.logs.forJob(5), mixedPayloads(20));

        JobEventLog log = fixture.reopen().open(5).block();

        assertThat(log.lastSeq()).isEqualTo(22);
        assertThat(log.lineCount()).isEqualTo(20);
        assertThat(fixture.logs.open(6).block().lastSeq()).isZero();
    }

    @Test
    void endedLogsBeyondTheCacheAreDroppedAndReopenedFromTheirFiles() {
        withSettings(new EventLogSettings(64, 16, 2));
        JobEventLog first = fixture.logs.forJob(1);
        appendAll(first, mixedPayloads(5));
        end(first);
        // The end's result is emitted from inside the drain, which counts itself done just after.
        await("the ended log's drain finishes").atMost(DEADLINE).pollInterval(Duration.ofMillis(10))
                .until(((StoredJobEventLog) first)::idle);
        JobEventLog running = fixture.logs.forJob(2);
        running.append(line("still running")).block();
        fixture.logs.forJob(3);
        fixture.logs.forJob(4);

        assertThat(fixture.logs.forJob(2)).isSameAs(running);
        JobEventLog again = fixture.logs.forJob(1);
        assertThat(again).isNotSameAs(first);
        assertThat(seqs(again.follow(0))).isEqualTo(range(1, 6));
    }

    @Test
    void anIdleFollowerIsWokenAtOnceWithinTheWakeInterval() {
        // An hour's interval: a line that waited for the interval's end would never arrive in time.
        withSettings(wakeInterval(Duration.ofHours(1)));
        JobEventLog log = fixture.logs.forJob(1);
        ConcurrentLinkedQueue<JobEvent> received = new ConcurrentLinkedQueue<>();
        var following = log.followBatches(0).doOnNext(received::addAll).then().toFuture();

        for (int i = 0; i < 5; i++) {
            long seq = log.append(line("line " + i)).block().seq();
            await().atMost(DEADLINE).until(() -> received.stream().anyMatch(event -> event.seq() == seq)
                    && ((StoredJobEventLog) log).followersIdle());
        }
        end(log);

        following.orTimeout(1, TimeUnit.MINUTES).join();
        assertThat(received).extracting(JobEvent::seq).isEqualTo(range(1, 6));
    }

    @Test
    void whileAFollowerIsStillBusyTheOthersAreWokenAtMostOncePerWakeIntervalAndGetEveryEvent() {
        withSettings(wakeInterval(Duration.ofSeconds(5)));
        JobEventLog log = fixture.logs.forJob(1);
        log.append(line("first")).block();
        // Asks for two batches and then no more: after the wake that brings its second, it is busy for good.
        List<List<JobEvent>> busyGot = new CopyOnWriteArrayList<>();
        BaseSubscriber<List<JobEvent>> busy = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                subscription.request(2);
            }

            @Override
            protected void hookOnNext(List<JobEvent> batch) {
                busyGot.add(batch);
            }
        };
        log.followBatches(0).subscribe(busy);
        ConcurrentLinkedQueue<List<JobEvent>> batches = new ConcurrentLinkedQueue<>();
        var following = log.followBatches(0).doOnNext(batches::add).then().toFuture();
        await().atMost(DEADLINE).until(() -> ((StoredJobEventLog) log).waiterCount() == 2);

        log.append(line("second")).block();
        await().atMost(DEADLINE).until(() -> busyGot.size() == 2);
        for (int i = 0; i < 20; i++) {
            log.append(line("line " + i)).block();
        }
        end(log);

        following.orTimeout(1, TimeUnit.MINUTES).join();
        busy.dispose();
        assertThat(batches.stream().flatMap(List::stream).map(JobEvent::seq).toList()).isEqualTo(range(1, 23));
        assertThat(batches).as("20 appends one after the other while a follower is busy, woken in fewer batches")
                .hasSizeLessThan(20);
    }

    private static EventLogSettings wakeInterval(Duration interval) {
        return new EventLogSettings(4096, EventLogSettings.DEFAULT_RING_BYTES,
                EventLogSettings.DEFAULT_ENDED_RING_BYTES, 256, EventLogSettings.DEFAULT_FOLLOW_BATCH_BYTES, 64,
                EventLogSettings.DEFAULT_WRITE_BATCH_BYTES, interval);
    }

    @Test
    void followersBehindTheRingShareTheReadOfTheSameRun() {
        withSettings(new EventLogSettings(4, 1L << 20, 0, 256, EventLogSettings.DEFAULT_FOLLOW_BATCH_BYTES, 64,
                EventLogSettings.DEFAULT_WRITE_BATCH_BYTES, Duration.ZERO));
        JobEventLog log = fixture.logs.forJob(1);
        appendAll(log, mixedPayloads(100));
        end(log);

        List<JobEvent> first = log.followBatches(0).blockFirst(DEADLINE);
        List<JobEvent> second = log.followBatches(0).blockFirst(DEADLINE);

        assertThat(first).hasSizeGreaterThan(4);
        assertThat(second).as("read once, from the files, for both").isSameAs(first);
    }

    @Test
    void theLastSpoolMarkSurvivesAReopen() {
        JobEventLog log = fixture.logs.forJob(1);
        assertThat(log.lastMark().block(DEADLINE)).isEmpty();
        log.append(line("a"), new SpoolMark(10, 5, 0, false, false, 0, 0));
        log.append(new StatusChanged("not from the spool"));
        log.append(line("b"), new SpoolMark(20, 9, 3, true, false, 2, 1)).block(DEADLINE);
        log.append(new StatusChanged("not from the spool either")).block(DEADLINE);

        JobEventLog reopened = fixture.reopen().forJob(1);

        assertThat(reopened.lastMark().block(DEADLINE)).contains(new SpoolMark(20, 9, 3, true, false, 2, 1));
        assertThat(reopened.append(line("c")).block(DEADLINE).seq()).isEqualTo(5);
    }

    @Test
    void aDeletedLogStartsAfresh() {
        JobEventLog log = fixture.logs.forJob(9);
        appendAll(log, mixedPayloads(3));
        end(log);

        fixture.logs.delete(9).block(DEADLINE);

        assertThat(fixture.logs.forJob(9).lastSeq()).isZero();
        assertThat(fixture.reopen().forJob(9).lastSeq()).isZero();
        assertThat(fixture.logs.sizesOnDisk().block(DEADLINE)).doesNotContainKey(9L);
    }

    void withSettings(EventLogSettings settings) {
        fixture.close();
        fixture = newFixture(settings);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
