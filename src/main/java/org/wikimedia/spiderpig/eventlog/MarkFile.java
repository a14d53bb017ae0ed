package org.wikimedia.spiderpig.eventlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.wikimedia.spiderpig.model.SpoolMark;

/**
 * {@code <job>.marks}: for each event that came from the job's spool, the spool position just after it
 * (32 bytes: the event's seq, the frame offset, the stdout and stderr offsets, big-endian longs; a
 * stream's "a newline here belongs to a prompt" flag is the top bit of its offset). A batch's marks are
 * written before its events, so every event in the log has its mark: after a crash, the last mark whose
 * seq is in the log is exactly where the spool must be read on, whatever part of a batch made it to disk.
 * Blocking I/O only, on the log's I/O scheduler.
 */
final class MarkFile {

    static final int ENTRY_BYTES = 32;
    private static final long FLAG = Long.MIN_VALUE;

    private final Path file;
    private FileChannel out;

    MarkFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** Appends marks: {@code seqs[i]} carries {@code marks[i]}. */
    void write(long[] seqs, SpoolMark[] marks, int count) throws IOException {
        if (count == 0) {
            return;
        }
        if (out == null) {
            out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        ByteBuffer entries = ByteBuffer.allocate(count * ENTRY_BYTES);
        for (int i = 0; i < count; i++) {
            SpoolMark mark = marks[i];
            entries.putLong(seqs[i]).putLong(mark.frame())
                    .putLong(mark.stdout() | (mark.stdoutSwallow() ? FLAG : 0))
                    .putLong(mark.stderr() | (mark.stderrSwallow() ? FLAG : 0));
        }
        entries.flip();
        while (entries.hasRemaining()) {
            out.write(entries);
        }
    }

    /**
     * The mark of the last event up to {@code lastSeq}, after cutting off the marks of events that never
     * reached the log (and a torn entry), so that later marks follow on from it.
     */
    Optional<SpoolMark> last(long lastSeq) throws IOException {
        close();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long entries = channel.size() / ENTRY_BYTES;
            ByteBuffer entry = ByteBuffer.allocate(ENTRY_BYTES);
            while (entries > 0) {
                entry.clear();
                long at = (entries - 1) * ENTRY_BYTES;
                while (entry.hasRemaining()) {
                    if (channel.read(entry, at + entry.position()) < 0) {
                        throw new IOException("unexpected end of " + file);
                    }
                }
                long seq = entry.getLong(0);
                if (seq <= lastSeq) {
                    channel.truncate(entries * ENTRY_BYTES);
                    long stdout = entry.getLong(16);
                    long stderr = entry.getLong(24);
                    return Optional.of(new SpoolMark(entry.getLong(8), stdout & ~FLAG, stderr & ~FLAG,
                            (stdout & FLAG) != 0, (stderr & FLAG) != 0));
                }
                entries--;
            }
            channel.truncate(0);
            return Optional.empty();
        }
    }

    void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
