package org.wikimedia.spiderpig.eventlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.wikimedia.spiderpig.model.SpoolMark;

/**
 * {@code <job>.marks}: for each event that came from the job's spool, the spool position just after it.
 * The file starts with {@link #MAGIC}; each entry is 48 bytes: the event's seq, the frame offset, the stdout
 * and stderr offsets, the stdout and stderr event counts ({@link SpoolMark#stdoutSkip()}), big-endian
 * longs; a stream's "a newline here belongs to a prompt" flag is the top bit of its offset. A batch's marks
 * are written before its events, so every event in the log has its mark: after a crash, the last mark whose
 * seq is in the log is exactly where the spool must be read on, whatever part of a batch made it to disk.
 *
 * <p>A file without the magic is of an earlier server (32-byte entries, no counts): it is read as such,
 * and rewritten in this format when its last mark is looked up (as a re-attach does first).
 * Blocking I/O only, on the log's I/O scheduler.
 */
final class MarkFile {

    /** "SPMARKS2": never the seq that an entry of the first format starts with. */
    static final long MAGIC = 0x53504d41524b5332L;
    static final int ENTRY_BYTES = 48;
    static final int FIRST_FORMAT_ENTRY_BYTES = 32;
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
        boolean fresh = out.size() == 0;
        ByteBuffer entries = ByteBuffer.allocate((fresh ? Long.BYTES : 0) + count * ENTRY_BYTES);
        if (fresh) {
            entries.putLong(MAGIC);
        }
        for (int i = 0; i < count; i++) {
            put(entries, seqs[i], marks[i]);
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
        Optional<SpoolMark> found;
        long keep;
        boolean firstFormat;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            firstFormat = channel.size() >= Long.BYTES && readLong(channel, 0) != MAGIC;
            long start = firstFormat ? 0 : Long.BYTES;
            int entryBytes = firstFormat ? FIRST_FORMAT_ENTRY_BYTES : ENTRY_BYTES;
            long entries = Math.max(0, channel.size() - start) / entryBytes;
            ByteBuffer entry = ByteBuffer.allocate(entryBytes);
            found = Optional.empty();
            while (entries > 0 && found.isEmpty()) {
                readFully(channel, entry, start + (entries - 1) * entryBytes);
                if (entry.getLong(0) <= lastSeq) {
                    found = Optional.of(markOf(entry));
                } else {
                    entries--;
                }
            }
            keep = found.isEmpty() ? 0 : start + entries * entryBytes;
        }
        if (firstFormat && found.isPresent()) {
            rewriteWith(lastSeq, found.get());
        } else {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(keep);
            }
        }
        return found;
    }

    void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    /** The file in this format, holding only {@code mark}; replaced at once, so a crash leaves the old or the new. */
    private void rewriteWith(long seq, SpoolMark mark) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".new");
        ByteBuffer content = ByteBuffer.allocate(Long.BYTES + ENTRY_BYTES).putLong(MAGIC);
        put(content, seq, mark);
        content.flip();
        try (FileChannel channel = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (content.hasRemaining()) {
                channel.write(content);
            }
        }
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void put(ByteBuffer entries, long seq, SpoolMark mark) {
        entries.putLong(seq).putLong(mark.frame())
                .putLong(mark.stdout() | (mark.stdoutSwallow() ? FLAG : 0))
                .putLong(mark.stderr() | (mark.stderrSwallow() ? FLAG : 0))
                .putLong(mark.stdoutSkip()).putLong(mark.stderrSkip());
    }

    private static SpoolMark markOf(ByteBuffer entry) {
        long stdout = entry.getLong(16);
        long stderr = entry.getLong(24);
        boolean counted = entry.capacity() == ENTRY_BYTES;
        return new SpoolMark(entry.getLong(8), stdout & ~FLAG, stderr & ~FLAG, (stdout & FLAG) != 0,
                (stderr & FLAG) != 0, counted ? entry.getLong(32) : 0, counted ? entry.getLong(40) : 0);
    }

    private static long readLong(FileChannel channel, long at) throws IOException {
        ByteBuffer value = ByteBuffer.allocate(Long.BYTES);
        readFully(channel, value, at);
        return value.getLong(0);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long at) throws IOException {
        buffer.clear();
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, at + buffer.position()) < 0) {
                throw new IOException("unexpected end of " + channel);
            }
        }
    }
}
