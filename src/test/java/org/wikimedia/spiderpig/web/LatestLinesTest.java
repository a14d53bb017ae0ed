package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.StatusChanged;

/** What a {@code ?lines=latest} stream sends, on a clock the test moves. */
class LatestLinesTest {

    private static final Instant TS = Instant.parse("2026-12-01T10:00:00Z");
    private static final long MS = 1_000_000;

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final LatestLines latest = new LatestLines(clock::get);
    private long nextSeq = 1;

    @Test
    void aJobWritingFewerLinesThanKeptPerWindowLosesNothingAndWaitsForNothing() {
        for (int i = 0; i < 20; i++) {
            List<JobEvent> run = lines(LatestLines.KEPT / 2);
            assertThat(latest.take(run, 0)).isSameAs(run);
            assertThat(latest.holds()).isFalse();
            clock.addAndGet(LatestLines.WINDOW_NANOS);
        }
    }

    @Test
    void beyondAWindowsLinesTheRestIsHeldAndReleasedAsTheLastOnesOfEachRun() {
        List<JobEvent> sentAtOnce = latest.take(lines(200), 0);
        assertThat(sentAtOnce).hasSize(200);

        List<JobEvent> more = new ArrayList<>(lines(1_000));
        JobEvent status = event(new StatusChanged("Sync"));
        more.add(status);
        more.addAll(lines(3));
        assertThat(latest.take(more, 200)).isEmpty();
        assertThat(latest.holds()).isTrue();
        clock.addAndGet(10 * MS);
        assertThat(latest.nanosUntilRelease()).isEqualTo(LatestLines.WINDOW_NANOS - 10 * MS);

        List<JobEvent> released = latest.release();

        List<Long> seqs = released.stream().map(JobEvent::seq).toList();
        List<Long> expected = new ArrayList<>(LongStream.rangeClosed(1_200 - 249, 1_200).boxed().toList());
        expected.addAll(List.of(1_201L, 1_202L, 1_203L, 1_204L));
        assertThat(seqs).isEqualTo(expected);
        assertThat(released).contains(status);
        assertThat(latest.holds()).isFalse();
    }

    @Test
    void aFloodGetsOneWindowsLinesPerWindowAndItsLastLineAlways() {
        long sent = 0;
        List<JobEvent> received = new ArrayList<>();
        for (int window = 0; window < 10; window++) {
            for (int run = 0; run < 10; run++) {
                List<JobEvent> lines = lines(250);
                received.addAll(latest.take(lines, sent));
                sent = lines.get(lines.size() - 1).seq();
                clock.addAndGet(LatestLines.WINDOW_NANOS / 10);
            }
            assertThat(latest.holds()).isTrue();
            received.addAll(latest.release());
        }

        assertThat(received.size()).isLessThanOrEqualTo(11 * LatestLines.KEPT);
        assertThat(received.get(received.size() - 1).seq()).isEqualTo(sent);
        List<Long> seqs = received.stream().map(JobEvent::seq).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void eventsAlreadySentAreNotTakenAgain() {
        List<JobEvent> run = lines(10);

        assertThat(latest.take(run, 4).stream().map(JobEvent::seq)).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void cutKeepsEveryOtherEventAndTheLinesRightBeforeIt() {
        List<JobEvent> events = new ArrayList<>(lines(5));
        JobEvent status = event(new StatusChanged("Sync"));
        events.add(status);
        events.addAll(lines(5));

        List<JobEvent> kept = LatestLines.cut(events, 2);

        assertThat(kept.stream().map(JobEvent::seq)).containsExactly(4L, 5L, 6L, 10L, 11L);
    }

    private List<JobEvent> lines(int count) {
        List<JobEvent> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add(event(new OutputLine(nextSeq, OutputLine.Stream.STDOUT, "line " + nextSeq, false)));
        }
        return lines;
    }

    private JobEvent event(org.wikimedia.spiderpig.model.EventPayload payload) {
        return new JobEvent(1, nextSeq++, TS, payload);
    }
}
