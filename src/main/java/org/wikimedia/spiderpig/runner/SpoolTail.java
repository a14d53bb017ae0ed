package org.wikimedia.spiderpig.runner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.SpoolMark;
import org.wikimedia.spiderpig.supervisor.SupervisorFiles;

/**
 * Reads a job's spool as the supervisor appends to it, from a {@link SpoolMark} on, and feeds each
 * stream's bytes to its pump a line at a time (so that {@link MarkingSink} can mark each line's events);
 * it wakes on the supervisor's change notices, and ends when the spool is complete (the exit file is
 * there) or the supervisor died without one.
 */
final class SpoolTail {

    /** How the spool ended. */
    sealed interface End {
        record Exited(int exitCode) implements End {
        }

        record SupervisorGone() implements End {
        }

        record Detached() implements End {
        }
    }

    /** A fallback for a lost notice; notices normally wake the reader at once. */
    private static final long POLL_MILLIS = 250;
    private static final int MAX_FRAME = 1 << 20;

    private final SupervisorFiles files;
    private final SpoolMark from;
    private final StreamPump[] pumps;
    private final MarkingSink marks;
    private final SupervisorClient client;
    private final BooleanSupplier supervisorAlive;
    private volatile boolean detached;
    private volatile SupervisorClient.Ticks ticks;
    private ByteBuffer payload = ByteBuffer.allocate(8192);
    private final ByteBuffer header = ByteBuffer.allocate(SupervisorFiles.FRAME_HEADER_BYTES);
    private long position;

    SpoolTail(SupervisorFiles files, SpoolMark from, StreamPump stdout, StreamPump stderr, MarkingSink marks,
              SupervisorClient client, BooleanSupplier supervisorAlive) {
        this.files = files;
        this.from = from;
        this.pumps = new StreamPump[] {stdout, stderr};
        this.marks = marks;
        this.client = client;
        this.supervisorAlive = supervisorAlive;
        this.position = from.frame();
    }

    /** Reads until the spool ends; the pumps have then been given everything (and finished, unless detached). */
    End run() throws IOException, InterruptedException {
        if (from.stdoutSwallow()) {
            pumps[0].resumeAfterPrompt();
        }
        if (from.stderrSwallow()) {
            pumps[1].resumeAfterPrompt();
        }
        ticks = client.follow();
        try (FileChannel spool = FileChannel.open(files.spool(), StandardOpenOption.READ)) {
            // Looked for at first (the job may have ended while no server ran) and after any wake but a
            // change notice: the supervisor's end notice, a timeout, its connection gone.
            boolean lookForExit = true;
            while (true) {
                readAvailable(spool);
                if (detached) {
                    return new End.Detached();
                }
                Integer exitCode = lookForExit ? exitCode() : null;
                if (exitCode != null) {
                    readAvailable(spool); // complete before the exit file was written
                    finishPumps();
                    return new End.Exited(exitCode);
                }
                SupervisorClient.Ticks current = ticks;
                SupervisorClient.Ticks.Wake wake = current == null ? SupervisorClient.Ticks.Wake.GONE
                        : current.await(POLL_MILLIS);
                lookForExit = wake != SupervisorClient.Ticks.Wake.CHANGED;
                if (wake == SupervisorClient.Ticks.Wake.GONE) {
                    if (current != null) {
                        current.close();
                        ticks = null;
                    }
                    if (!supervisorAlive.getAsBoolean()) {
                        if (exitCode() != null) {
                            continue;
                        }
                        readAvailable(spool);
                        finishPumps();
                        return new End.SupervisorGone();
                    }
                    // Alive but not answering (starting up, or busy): look again shortly.
                    Thread.sleep(POLL_MILLIS); // polling with a deadline: the supervisor's liveness is checked each time
                    ticks = client.follow();
                }
            }
        } finally {
            SupervisorClient.Ticks current = ticks;
            if (current != null) {
                current.close();
            }
        }
    }

    /** Handing on a stream's events failed. */
    static final class StreamFailure extends RuntimeException {

        private final OutputLine.Stream stream;

        StreamFailure(OutputLine.Stream stream, Throwable cause) {
            super(cause);
            this.stream = stream;
        }

        OutputLine.Stream stream() {
            return stream;
        }
    }

    void detach() {
        detached = true;
        SupervisorClient.Ticks current = ticks;
        if (current != null) {
            current.wakeup();
        }
    }

    private void finishPumps() throws InterruptedException {
        for (int stream = 0; stream < 2; stream++) {
            marks.beginEnd(stream);
            pumps[stream].finish();
            marks.endSegment();
        }
    }

    private Integer exitCode() throws IOException {
        try {
            return Integer.parseInt(Files.readString(files.exit(), StandardCharsets.UTF_8).strip());
        } catch (NoSuchFileException e) {
            return null;
        } catch (NumberFormatException e) {
            throw new IOException("the exit file " + files.exit() + " does not hold an exit code", e);
        }
    }

    private void readAvailable(FileChannel spool) throws IOException, InterruptedException {
        long size = spool.size();
        while (!detached && position + SupervisorFiles.FRAME_HEADER_BYTES <= size) {
            header.clear();
            readFully(spool, header, position);
            byte stream = header.get(0);
            int length = header.getInt(1);
            if (length < 0 || length > MAX_FRAME || (stream != SupervisorFiles.STDOUT && stream != SupervisorFiles.STDERR)) {
                throw new IOException("the spool " + files.spool() + " is damaged at offset " + position);
            }
            long payloadStart = position + SupervisorFiles.FRAME_HEADER_BYTES;
            if (payloadStart + length > size) {
                size = spool.size();
                if (payloadStart + length > size) {
                    return; // the frame is being written
                }
            }
            if (payload.capacity() < length) {
                payload = ByteBuffer.allocate(length);
            }
            payload.clear().limit(length);
            readFully(spool, payload, payloadStart);
            feed(stream == SupervisorFiles.STDOUT ? 0 : 1, position, payloadStart, payload.array(), length);
            position = payloadStart + length;
        }
    }

    /** Feeds a frame's bytes from the stream's resume point on, one line at a time. */
    private void feed(int stream, long frame, long payloadStart, byte[] bytes, int length) throws InterruptedException {
        long resumeAt = stream == 0 ? from.stdout() : from.stderr();
        int start = (int) Math.max(0, Math.min(length, resumeAt - payloadStart));
        while (start < length) {
            int end = start;
            while (end < length && bytes[end] != '\n') {
                end++;
            }
            boolean endsLine = end < length;
            if (endsLine) {
                end++;
            }
            marks.beginSegment(stream, frame, payloadStart + end, endsLine);
            try {
                pumps[stream].process(bytes, start, end - start);
                marks.endSegment();
            } catch (InterruptedException e) {
                throw e;
            } catch (Throwable e) {
                // An Error too (an OutOfMemoryError of whoever took the event on this thread): say which stream.
                throw new StreamFailure(stream == 0 ? OutputLine.Stream.STDOUT : OutputLine.Stream.STDERR, e);
            }
            start = end;
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long at) throws IOException {
        long position = at;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new IOException("unexpected end of the spool at " + position);
            }
            position += read;
        }
        buffer.flip();
    }
}
