package org.wikimedia.spiderpig.eventlog;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.SpoolMark;
import org.wikimedia.spiderpig.model.json.EventJson;

/**
 * The three files of one job's log, with blocking I/O only (callers run it on the event-log-io scheduler).
 *
 * <ul>
 *   <li>{@code <job>.events}: one stored JSON record per event, each ending with {@code \n} (JSON escapes
 *       newlines inside strings, so a record never contains one).</li>
 *   <li>{@code <job>.index}: 16 bytes per event, entry {@code seq-1}: the record's byte offset in the
 *       events file, then the number of output lines up to and including that event (big-endian longs).</li>
 *   <li>{@code <job>.lines}: 8 bytes per output line, entry {@code line-1}: that line's seq.</li>
 * </ul>
 *
 * Data is written before its index entries, so after a crash the index may only lag the data; {@link
 * #recover()} re-indexes complete records past the index and cuts what is torn. Writes go to the OS
 * without fsync (a killed JVM loses nothing that was written); the files are forced once, when the log
 * ends. Not final only so that tests can make its reads and writes fail.
 */
class LogFiles implements LogStorage {

    static final int INDEX_ENTRY_BYTES = 16;
    static final int LINE_ENTRY_BYTES = 8;
    private static final Logger LOG = LoggerFactory.getLogger(LogFiles.class);
    private static final int READ_CHUNK = 8192;
    /** Recovery gives up on a "record" longer than this: it is garbage, not a line of output. */
    private static final int MAX_RECORD_BYTES = 64 << 20;

    private final long jobId;
    private final Path data;
    private final Path index;
    private final Path lines;
    private final EventJson json;
    private FileChannel dataOut;
    private FileChannel indexOut;
    private FileChannel linesOut;
    private final MarkFile marks;

    LogFiles(Path directory, long jobId, EventJson json) {
        this.jobId = jobId;
        this.data = directory.resolve(jobId + ".events");
        this.index = directory.resolve(jobId + ".index");
        this.lines = directory.resolve(jobId + ".lines");
        this.marks = new MarkFile(directory.resolve(jobId + ".marks"));
        this.json = json;
    }

    /**
     * Copies a job's files as they are now into {@code target}; the bytes copied. The indexes go first, so a copy
     * of a log being written can only have more data than index, and a torn last record, both of which
     * {@link #recover()} repairs when the copy is opened.
     */
    static long copy(Path directory, long jobId, Path target) throws IOException {
        Files.createDirectories(target);
        long bytes = 0;
        for (String suffix : List.of(".marks", ".index", ".lines", ".events")) {
            Path file = directory.resolve(jobId + suffix);
            if (Files.exists(file)) {
                bytes += Files.size(Files.copy(file, target.resolve(file.getFileName())));
            }
        }
        return bytes;
    }

    /** The job whose log {@code file} belongs to, or -1 when it is no log file. */
    static long jobIdOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        if (dot < 1 || !List.of(".events", ".index", ".lines", ".marks").contains(name.substring(dot))) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Reads the log's end, repairing a torn tail first. */
    @Override
    public LogTip recover() throws IOException {
        if (!Files.exists(data)) {
            Files.deleteIfExists(index);
            Files.deleteIfExists(lines);
            return LogTip.EMPTY;
        }
        try (FileChannel dataCh = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileChannel indexCh = FileChannel.open(index, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileChannel linesCh = FileChannel.open(lines, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE)) {
            long dataSize = dataCh.size();
            long indexed = indexCh.size() / INDEX_ENTRY_BYTES;
            // The last indexed record must be whole and carry its seq; after a power loss it may not be.
            JobEvent last = null;
            long end = 0;
            while (indexed > 0) {
                long offset = readLong(indexCh, (indexed - 1) * INDEX_ENTRY_BYTES);
                Record record = offset >= 0 ? readRecord(dataCh, offset, dataSize) : null;
                JobEvent event = record == null ? null : parse(record);
                if (event != null && event.seq() == indexed) {
                    last = event;
                    end = record.end();
                    break;
                }
                indexed--;
            }
            long lineCount = indexed > 0 ? readLong(indexCh, (indexed - 1) * INDEX_ENTRY_BYTES + 8) : 0;
            long validIndexed = indexed;

            // Complete records written after the last index entry (the JVM died between the two writes).
            ByteArrayOutputStream extraIndex = new ByteArrayOutputStream();
            long seq = indexed;
            long position = end;
            while (true) {
                Record record = readRecord(dataCh, position, dataSize);
                JobEvent event = record == null ? null : parse(record);
                if (event == null || event.seq() != seq + 1) {
                    break;
                }
                if (event.payload() instanceof OutputLine line) {
                    if (line.line() != lineCount + 1) {
                        break;
                    }
                    lineCount++;
                }
                extraIndex.writeBytes(indexEntry(position, lineCount));
                seq++;
                last = event;
                position = record.end();
            }
            if (position < dataSize) {
                LOG.warn("job {} event log: cutting {} torn bytes after seq {}", jobId, dataSize - position, seq);
                dataCh.truncate(position);
            }
            indexCh.truncate(validIndexed * INDEX_ENTRY_BYTES);
            writeFully(indexCh, ByteBuffer.wrap(extraIndex.toByteArray()), validIndexed * INDEX_ENTRY_BYTES);
            repairLineIndex(indexCh, linesCh, seq, lineCount);
            boolean ended = last != null && last.payload() instanceof JobEnded;
            return new LogTip(seq, lineCount, position, last == null ? LogTip.EMPTY.lastTs() : last.ts(), ended);
        }
    }

    /** Makes the line index hold exactly {@code lineCount} entries, rebuilding missing ones from the index. */
    private static void repairLineIndex(FileChannel indexCh, FileChannel linesCh, long seq, long lineCount)
            throws IOException {
        long kept = Math.min(linesCh.size() / LINE_ENTRY_BYTES, lineCount);
        linesCh.truncate(kept * LINE_ENTRY_BYTES);
        if (kept == lineCount) {
            return;
        }
        // Walk back from the last event to the first line that the line index lacks.
        List<Long> missing = new ArrayList<>();
        long s = seq;
        long countAtS = lineCount;
        while (countAtS > kept) {
            long countBefore = s > 1 ? readLong(indexCh, (s - 2) * INDEX_ENTRY_BYTES + 8) : 0;
            if (countAtS > countBefore) {
                missing.add(s);
            }
            s--;
            countAtS = countBefore;
        }
        ByteBuffer entries = ByteBuffer.allocate(missing.size() * LINE_ENTRY_BYTES);
        for (int i = missing.size() - 1; i >= 0; i--) {
            entries.putLong(missing.get(i));
        }
        entries.flip();
        writeFully(linesCh, entries, kept * LINE_ENTRY_BYTES);
    }

    /**
     * {@link #write(List, LogTip)}, with the spool marks of those events that carry one ({@code spoolMarks[i]}
     * for {@code events.get(i)}, or null), written before the events (see {@link MarkFile}).
     */
    @Override
    public LogTip write(List<JobEvent> events, LogTip tip, SpoolMark[] spoolMarks) throws IOException {
        if (spoolMarks != null) {
            long[] seqs = new long[events.size()];
            SpoolMark[] marked = new SpoolMark[events.size()];
            int count = 0;
            for (int i = 0; i < events.size(); i++) {
                if (spoolMarks[i] != null) {
                    seqs[count] = events.get(i).seq();
                    marked[count++] = spoolMarks[i];
                }
            }
            marks.write(seqs, marked, count);
        }
        openWriters();
        ByteArrayOutputStream records = new ByteArrayOutputStream(events.size() * 160);
        ByteBuffer indexEntries = ByteBuffer.allocate(events.size() * INDEX_ENTRY_BYTES);
        ByteBuffer lineEntries = ByteBuffer.allocate(events.size() * LINE_ENTRY_BYTES);
        long lineCount = tip.lineCount();
        boolean ended = tip.ended();
        for (JobEvent event : events) {
            long offset = tip.dataEnd() + records.size();
            records.writeBytes(json.toStorage(event));
            records.write('\n');
            if (event.payload() instanceof OutputLine) {
                lineCount++;
                lineEntries.putLong(event.seq());
            }
            ended |= event.payload() instanceof JobEnded;
            indexEntries.putLong(offset).putLong(lineCount);
        }
        indexEntries.flip();
        lineEntries.flip();
        writeFully(dataOut, ByteBuffer.wrap(records.toByteArray()), tip.dataEnd());
        writeFully(indexOut, indexEntries, tip.seq() * INDEX_ENTRY_BYTES);
        writeFully(linesOut, lineEntries, tip.lineCount() * LINE_ENTRY_BYTES);
        JobEvent last = events.get(events.size() - 1);
        LogTip next = new LogTip(last.seq(), lineCount, tip.dataEnd() + records.size(), last.ts(), ended);
        if (ended) {
            dataOut.force(false);
            indexOut.force(false);
            linesOut.force(false);
            closeWriters();
        }
        return next;
    }

    /**
     * Events {@code from..to} (inclusive, {@code to <= tip.seq()}): one index read and one data read. It
     * stops early, after the first event, before the stored records would pass {@code maxBytes}, so that
     * a read of long lines costs a bounded amount of memory; the caller continues after the last event.
     */
    @Override
    public List<JobEvent> read(long from, long to, LogTip tip, long maxBytes) throws IOException {
        int wanted = (int) (to - from + 1);
        if (wanted <= 0) {
            return List.of();
        }
        try (FileChannel indexCh = FileChannel.open(index, StandardOpenOption.READ);
                FileChannel dataCh = FileChannel.open(data, StandardOpenOption.READ)) {
            boolean followed = to < tip.seq();
            ByteBuffer entries = ByteBuffer.allocate((wanted + (followed ? 1 : 0)) * INDEX_ENTRY_BYTES);
            readFully(indexCh, entries, (from - 1) * INDEX_ENTRY_BYTES);
            long[] offsets = new long[wanted + 1];
            for (int i = 0; i < wanted; i++) {
                offsets[i] = entries.getLong(i * INDEX_ENTRY_BYTES);
            }
            offsets[wanted] = followed ? entries.getLong(wanted * INDEX_ENTRY_BYTES) : tip.dataEnd();
            long start = offsets[0];
            int count = 1;
            while (count < wanted && offsets[count + 1] - start <= maxBytes) {
                count++;
            }
            ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(offsets[count] - start));
            readFully(dataCh, bytes, start);
            byte[] array = bytes.array();
            List<JobEvent> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int recordStart = (int) (offsets[i] - start);
                int recordLength = (int) (offsets[i + 1] - offsets[i]) - 1;
                events.add(json.fromStorage(jobId, array, recordStart, recordLength));
            }
            return events;
        }
    }

    /** The seqs of output lines {@code from..to} (inclusive, within the line count). */
    @Override
    public long[] lineSeqs(long from, long to) throws IOException {
        int count = (int) (to - from + 1);
        try (FileChannel linesCh = FileChannel.open(lines, StandardOpenOption.READ)) {
            ByteBuffer entries = ByteBuffer.allocate(count * LINE_ENTRY_BYTES);
            readFully(linesCh, entries, (from - 1) * LINE_ENTRY_BYTES);
            long[] seqs = new long[count];
            for (int i = 0; i < count; i++) {
                seqs[i] = entries.getLong(i * LINE_ENTRY_BYTES);
            }
            return seqs;
        }
    }

    /**
     * Cuts the files back to {@code tip} after a failed write, so that what that write left behind is
     * neither read nor taken for records by a later recovery; the next write continues from the tip.
     */
    @Override
    public void cutTo(LogTip tip) throws IOException {
        closeWriters();
        cut(data, tip.dataEnd());
        cut(index, tip.seq() * INDEX_ENTRY_BYTES);
        cut(lines, tip.lineCount() * LINE_ENTRY_BYTES);
        marks.last(tip.seq());
    }

    private static void cut(Path file, long size) throws IOException {
        if (Files.exists(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(size);
            }
        }
    }

    /** The spool mark of the last marked event in the log (see {@link MarkFile#last}). */
    @Override
    public Optional<SpoolMark> lastMark(long lastSeq) throws IOException {
        return marks.last(lastSeq);
    }

    void closeWriters() throws IOException {
        marks.close();
        for (FileChannel channel : Arrays.asList(dataOut, indexOut, linesOut)) {
            if (channel != null) {
                channel.close();
            }
        }
        dataOut = null;
        indexOut = null;
        linesOut = null;
    }

    @Override
    public void delete() throws IOException {
        closeWriters();
        Files.deleteIfExists(data);
        Files.deleteIfExists(index);
        Files.deleteIfExists(lines);
        Files.deleteIfExists(marks.path());
    }

    private void openWriters() throws IOException {
        if (dataOut == null) {
            dataOut = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            indexOut = FileChannel.open(index, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            linesOut = FileChannel.open(lines, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
    }

    private JobEvent parse(Record record) {
        try {
            return json.fromStorage(jobId, record.bytes());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] indexEntry(long offset, long lineCount) {
        return ByteBuffer.allocate(INDEX_ENTRY_BYTES).putLong(offset).putLong(lineCount).array();
    }

    private record Record(byte[] bytes, long end) {
    }

    /** The record starting at {@code offset} if it is whole (ends with a newline before {@code size}). */
    private static Record readRecord(FileChannel channel, long offset, long size) throws IOException {
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        long position = offset;
        ByteBuffer chunk = ByteBuffer.allocate(READ_CHUNK);
        while (position < size && record.size() <= MAX_RECORD_BYTES) {
            chunk.clear();
            chunk.limit((int) Math.min(READ_CHUNK, size - position));
            int read = channel.read(chunk, position);
            if (read <= 0) {
                return null;
            }
            byte[] array = chunk.array();
            for (int i = 0; i < read; i++) {
                if (array[i] == '\n') {
                    record.write(array, 0, i);
                    return new Record(record.toByteArray(), position + i + 1);
                }
            }
            record.write(array, 0, read);
            position += read;
        }
        return null;
    }

    private static long readLong(FileChannel channel, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8);
        readFully(channel, buffer, position);
        return buffer.getLong(0);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new EOFException("unexpected end of a log file at " + at);
            }
            at += read;
        }
        buffer.flip();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }
}
