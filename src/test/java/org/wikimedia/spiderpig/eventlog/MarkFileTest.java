package org.wikimedia.spiderpig.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikimedia.spiderpig.model.SpoolMark;

/** The spool marks a log keeps: the last one within the log is found, with its event counts and flags. */
class MarkFileTest {

    @TempDir
    Path dir;

    @Test
    void theLastMarkWithinTheLogIsFoundAndTheMarksBeyondItAreCutOff() throws Exception {
        MarkFile marks = new MarkFile(dir.resolve("1.marks"));
        SpoolMark second = new SpoolMark(40, 77, 12, true, false, 3, 0);
        marks.write(new long[] {2, 5}, new SpoolMark[] {new SpoolMark(0, 20, 0, false, false), second}, 2);
        marks.write(new long[] {9}, new SpoolMark[] {new SpoolMark(90, 100, 12, false, true, 0, 2)}, 1);

        assertThat(marks.last(8)).contains(second);
        assertThat(Files.size(marks.path())).isEqualTo(Long.BYTES + 2L * MarkFile.ENTRY_BYTES);
        marks.write(new long[] {10}, new SpoolMark[] {SpoolMark.START}, 1);
        assertThat(marks.last(10)).contains(SpoolMark.START);
        assertThat(marks.last(1)).isEmpty();
        assertThat(Files.size(marks.path())).isZero();
    }

    @Test
    void marksOfAnEarlierServerAreReadAndTheFileTakesTheNewFormatFromThen() throws Exception {
        Path file = dir.resolve("2.marks");
        ByteBuffer old = ByteBuffer.allocate(2 * MarkFile.FIRST_FORMAT_ENTRY_BYTES);
        old.putLong(3).putLong(0).putLong(15).putLong(0);
        old.putLong(4).putLong(30).putLong(45 | Long.MIN_VALUE).putLong(9);
        Files.write(file, old.array());
        MarkFile marks = new MarkFile(file);

        SpoolMark fromEarlierServer = new SpoolMark(30, 45, 9, true, false);
        assertThat(marks.last(4)).contains(fromEarlierServer);
        SpoolMark next = new SpoolMark(60, 80, 9, false, false, 1, 0);
        marks.write(new long[] {6}, new SpoolMark[] {next}, 1);
        assertThat(marks.last(5)).contains(fromEarlierServer);
        marks.write(new long[] {6}, new SpoolMark[] {next}, 1);
        assertThat(marks.last(6)).contains(next);
    }
}
