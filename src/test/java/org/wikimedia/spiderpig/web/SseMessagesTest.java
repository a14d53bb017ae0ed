package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.masking.EventMasker;
import org.wikimedia.spiderpig.masking.MaskedEventJson;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.json.EventJson;

class SseMessagesTest {

    private final SseMessages messages = new SseMessages(new MaskedEventJson(EventMasker.withDefaults(), new EventJson()), 1000);

    private static JobEvent line(long seq, String text) {
        return new JobEvent(1, seq, Instant.parse("2026-11-22T10:00:00Z"), new OutputLine(seq, OutputLine.Stream.STDOUT, text, false));
    }

    @Test
    void aMessageIsTheIdTheTypeAndTheMaskedJsonOnOneDataLine() {
        assertThat(new String(messages.of(line(3, "token=abc")), StandardCharsets.UTF_8)).isEqualTo("""
                id:3
                event:line
                data:{"seq":3,"ts":"2026-11-22T10:00:00Z","line":3,"stream":"stdout","text":"token=[REDACTED]","sensitive":false}

                """);
    }

    @Test
    void rendersEachEventInstanceOnceAndNeverConfusesEqualPositions() {
        JobEvent event = line(5, "hello");
        JobEvent sameSeqOtherText = line(5, "other");

        byte[] first = messages.of(event);

        assertThat(messages.of(event)).isSameAs(first);
        assertThat(new String(messages.of(sameSeqOtherText), StandardCharsets.UTF_8)).contains("other");
        assertThat(messages.of(event)).isEqualTo(first);
        assertThat(new String(messages.of(event), StandardCharsets.UTF_8)).contains("hello");
    }

    @Test
    void aLongLineLeavesInWritesOfAtMostEightKibibytesThatJoinToItsMessage() {
        JobEvent longLine = line(7, "x".repeat(65_536));

        java.util.List<ByteBuffer> writes = messages.writes(java.util.List.of(line(6, "short"), longLine, line(8, "after")));

        assertThat(writes).allSatisfy(write -> assertThat(write.remaining()).isLessThanOrEqualTo(SseMessages.WRITE_BYTES));
        assertThat(joined(writes)).isEqualTo(new String(messages.of(line(6, "short")),
                StandardCharsets.UTF_8) + new String(messages.of(longLine), StandardCharsets.UTF_8)
                + new String(messages.of(line(8, "after")), StandardCharsets.UTF_8));
    }

    @Test
    void aRunOfEventsIsJoinedOnceForEveryStreamThatSendsIt() {
        java.util.List<JobEvent> run = java.util.List.of(line(10, "a"), line(11, "b"), line(12, "c"));
        java.util.List<JobEvent> readBackFromTheFiles = java.util.List.of(line(10, "a"), line(11, "b"), line(12, "c"));

        java.util.List<ByteBuffer> first = messages.writes(run);

        assertThat(messages.writes(readBackFromTheFiles)).isSameAs(first);
        assertThat(first).allSatisfy(write -> assertThat(write.isDirect()).isTrue());
        assertThat(messages.writes(java.util.List.of(line(10, "a"), line(11, "b")))).as("a shorter run")
                .isNotSameAs(first);
        assertThat(joined(messages.writes(java.util.List.of(line(10, "a"), line(11, "b"), line(12, "other")))))
                .as("the same positions with other text").contains("other").doesNotContain("\"c\"");
        assertThat(joined(first)).isEqualTo("""
                id:10
                event:line
                data:{"seq":10,"ts":"2026-11-22T10:00:00Z","line":10,"stream":"stdout","text":"a","sensitive":false}

                id:11
                event:line
                data:{"seq":11,"ts":"2026-11-22T10:00:00Z","line":11,"stream":"stdout","text":"b","sensitive":false}

                id:12
                event:line
                data:{"seq":12,"ts":"2026-11-22T10:00:00Z","line":12,"stream":"stdout","text":"c","sensitive":false}

                """);
    }

    private static String joined(java.util.List<ByteBuffer> writes) {
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (ByteBuffer write : writes) {
            byte[] bytes = new byte[write.remaining()];
            write.duplicate().get(bytes);
            joined.writeBytes(bytes);
        }
        return joined.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anEqualEventReadBackFromTheFilesIsNotRenderedAgain() {
        byte[] first = messages.of(line(20, "from the ring"));

        assertThat(messages.of(line(20, "from the ring"))).isSameAs(first);
    }


    @Test
    void theCacheKeepsNoMoreBytesThanItsBudget() {
        SseMessages small = new SseMessages(new MaskedEventJson(EventMasker.withDefaults(), new EventJson()), 1000, 100_000);
        JobEvent first = line(1, "y".repeat(60_000));
        JobEvent second = line(2, "z".repeat(60_000));

        byte[] firstMessage = small.of(first);
        small.of(second);

        assertThat(small.of(first)).isSameAs(firstMessage);
        assertThat(small.of(second)).as("over the budget: rendered again, not kept").isNotSameAs(small.of(second));
    }
}
