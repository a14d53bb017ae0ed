package org.wikimedia.spiderpig.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.appendAll;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.line;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.mixedPayloads;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.range;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;

/**
 * What a killed JVM or a power loss can leave behind, made by hand on the files of a 55-event log
 * (50 lines, a status after every tenth): each case is reopened and must keep every whole event before
 * the damage, and the next append must take the next seq and line number.
 */
class LogRecoveryTest {

    private static final long JOB = 3;
    private static final int EVENTS = 55;

    @TempDir
    Path directory;
    EventLogFixture fixture;
    Path data;
    Path index;
    Path lines;

    @BeforeEach
    void writeLog() {
        fixture = new EventLogFixture(directory);
        JobEvent last = appendAll(fixture.logs.forJob(JOB), mixedPayloads(50));
        assertThat(last.seq()).isEqualTo(EVENTS);
        data = directory.resolve(JOB + ".events");
        index = directory.resolve(JOB + ".index");
        lines = directory.resolve(JOB + ".lines");
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aRecordCutInTheMiddleIsDroppedAndEverythingBeforeKept() throws IOException {
        truncate(data, offsetOf(EVENTS) + 7);

        assertRecovered(EVENTS - 1, 50);
    }

    @Test
    void indexEntriesPointingPastTheDataAreDropped() throws IOException {
        truncate(data, offsetOf(41));

        assertRecovered(40, 37);
    }

    @Test
    void aTornIndexEntryIsDropped() throws IOException {
        append(index, new byte[] {0, 0, 0, 0, 1});

        assertRecovered(EVENTS, 50);
    }

    @Test
    void wholeRecordsBeyondTheIndexAreIndexedAgain() throws IOException {
        truncate(index, (EVENTS - 4) * LogFiles.INDEX_ENTRY_BYTES);
        truncate(lines, 46 * LogFiles.LINE_ENTRY_BYTES);

        assertRecovered(EVENTS, 50);
    }

    @Test
    void aMissingLineIndexTailIsRebuiltFromTheIndex() throws IOException {
        truncate(lines, 20 * LogFiles.LINE_ENTRY_BYTES + 3);

        assertRecovered(EVENTS, 50);
    }

    @Test
    void garbageAfterTheLastRecordIsCut() throws IOException {
        append(data, new byte[4096]);
        append(data, "{\"type\":\"line\",\"seq\":56,".getBytes());

        assertRecovered(EVENTS, 50);
    }

    @Test
    void aCorruptLastIndexEntryIsReplacedByReindexingTheData() throws IOException {
        try (FileChannel channel = FileChannel.open(index, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(16).putLong(123_456_789L).putLong(-5).flip(),
                    (EVENTS - 1) * LogFiles.INDEX_ENTRY_BYTES);
        }

        assertRecovered(EVENTS, 50);
    }

    @Test
    void zerosWhereTheLastRecordsWereAreDroppedAsAfterAPowerLoss() throws IOException {
        long from = offsetOf(50);
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate((int) (Files.size(data) - from)), from);
        }

        assertRecovered(49, 45);
    }

    @Test
    void aLogWhoseIndexIsLostEntirelyIsReindexed() throws IOException {
        Files.delete(index);
        Files.delete(lines);

        assertRecovered(EVENTS, 50);
    }

    private void assertRecovered(long lastSeq, long lineCount) {
        JobEventLog log = fixture.reopen().forJob(JOB);

        assertThat(log.lastSeq()).isEqualTo(lastSeq);
        assertThat(log.lineCount()).isEqualTo(lineCount);
        List<JobEvent> kept = log.follow(0).take(lastSeq).collectList().block();
        assertThat(kept).extracting(JobEvent::seq).containsExactlyElementsOf(range(1, lastSeq));
        assertThat(kept.stream().filter(event -> event.payload() instanceof OutputLine)
                .map(event -> ((OutputLine) event.payload()).text()))
                .containsExactlyElementsOf(range(1, lineCount).stream().map(n -> "line " + n).toList());
        assertThat(log.lines(1, lineCount + 1).map(event -> ((OutputLine) event.payload()).line()).collectList().block())
                .containsExactlyElementsOf(range(1, lineCount));

        JobEvent next = log.append(line("after repair")).block();
        assertThat(next.seq()).isEqualTo(lastSeq + 1);
        assertThat(((OutputLine) next.payload()).line()).isEqualTo(lineCount + 1);
        JobEventLog again = fixture.reopen().forJob(JOB);
        assertThat(again.lastSeq()).isEqualTo(lastSeq + 1);
        assertThat(again.lines(lineCount + 1, lineCount + 2).map(event -> ((OutputLine) event.payload()).text())
                .collectList().block()).containsExactly("after repair");
    }

    private long offsetOf(long seq) throws IOException {
        try (FileChannel channel = FileChannel.open(index, StandardOpenOption.READ)) {
            ByteBuffer entry = ByteBuffer.allocate(8);
            channel.read(entry, (seq - 1) * LogFiles.INDEX_ENTRY_BYTES);
            return entry.getLong(0);
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }
}
