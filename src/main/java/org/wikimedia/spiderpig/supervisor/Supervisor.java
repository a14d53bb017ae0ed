package org.wikimedia.spiderpig.supervisor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The small process that runs one job's command and outlives the server (see docs/architecture.md,
 * "Durable jobs"). It owns the command's pipes: it appends whatever the command writes to the job's
 * spool, records the exit code when the command ends, and takes answers (written to stdin once per
 * answer id) and signals from the server over its Unix domain socket. It loads nothing but the JDK, so
 * it starts in a fraction of a second in a few MiB of heap.
 *
 * <p>{@code supervise <directory> <linger-millis> -- <command...>}: the command runs with the
 * supervisor's environment and working directory; it is expected to put itself in a process group of
 * its own (the server starts it through {@code setsid}), so that its pid is its group's id.
 *
 * <p>{@code supervise --spare <directory>}: a spare, started before its job is known so that the job need
 * not wait for a JVM to start; it waits for its {@link LaunchOrder} on stdin, then runs it as above. When
 * its input ends first (the server stopped, or died), it removes its directory and exits.
 */
public final class Supervisor {

    public static final String SPARE = "--spare";
    private static final int CHUNK = 8192;
    private static final long AFTER_TERM_MILLIS = 5_000;

    private final SupervisorFiles files;
    private final long lingerMillis;
    private final ProcessBuilder command;
    private final Object spoolLock = new Object();
    private FileChannel spool;
    /** Frames appended so far, and whether the spool is complete; both under {@link #spoolLock}. */
    private long frames;
    private boolean ended;
    private final Object stdinLock = new Object();
    private OutputStream stdin;
    private boolean stdinClosed;
    private final Set<Long> delivered = ConcurrentHashMap.newKeySet();
    private Process process;

    private Supervisor(SupervisorFiles files, long lingerMillis, ProcessBuilder command) {
        this.files = files;
        this.lingerMillis = lingerMillis;
        this.command = command;
    }

    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals(SPARE)) {
            runSpare(Path.of(args[1]));
            return;
        }
        if (args.length < 4 || !args[2].equals("--")) {
            System.err.println("usage: supervise <directory> <linger-millis> -- <command...> | supervise "
                    + SPARE + " <directory>");
            System.exit(2);
        }
        runAndExit(new Supervisor(new SupervisorFiles(Path.of(args[0])), Long.parseLong(args[1]),
                new ProcessBuilder(List.of(Arrays.copyOfRange(args, 3, args.length)))));
    }

    private static void runSpare(Path directory) {
        SpareWarmUp.run(directory);
        LaunchOrder order;
        try {
            order = LaunchOrder.readFrom(System.in);
        } catch (IOException e) {
            // No job for this spare (the server stopped or died), or no whole order: nothing ran, nothing is kept.
            removeQuietly(directory);
            System.exit(0);
            return;
        }
        SupervisorFiles files = new SupervisorFiles(order.directory());
        try {
            Files.deleteIfExists(files.ready()); // moved along with the directory; a job's holds no such file
        } catch (IOException e) {
            System.err.println("cannot remove " + files.ready() + ": " + e);
        }
        runAndExit(new Supervisor(files, order.lingerMillis(), order.processBuilder()));
    }

    private static void runAndExit(Supervisor supervisor) {
        try {
            System.exit(supervisor.run());
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private int run() throws IOException, InterruptedException {
        spool = FileChannel.open(files.spool(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        // The command first: its own start (often a JVM's, or scap's Python) then overlaps the rest of
        // ours; the server waits for the started file, written last, so it sees all of it or nothing.
        try {
            process = command.start();
        } catch (IOException e) {
            writeWhole(files.started(), "error " + e.getMessage());
            return 1;
        }
        stdin = process.getOutputStream();
        Thread out = daemon("stdout", () -> pump(SupervisorFiles.STDOUT, process.getInputStream()));
        Thread err = daemon("stderr", () -> pump(SupervisorFiles.STDERR, process.getErrorStream()));
        ServerSocketChannel server;
        try {
            ProcessHandle self = ProcessHandle.current();
            writeWhole(files.supervisor(), self.pid() + " " + self.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L));
            Files.deleteIfExists(files.socket());
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(files.socket()));
        } catch (IOException | RuntimeException e) {
            // Unreachable, the command could be neither answered nor stopped by the server: it does not run.
            signal("KILL");
            writeWhole(files.started(), "error the supervisor cannot listen on " + files.socket() + ": " + e);
            return 1;
        }
        writeWhole(files.started(), "ok " + process.pid());
        daemon("accept", () -> accept(server));
        int exitCode = process.waitFor();
        awaitPumps(out, err);
        closeStdin();
        synchronized (spoolLock) {
            // The one fsync of a job's output: the spool is complete before the exit says so.
            spool.force(true);
            spool.close();
        }
        writeWhole(files.exit(), Integer.toString(exitCode));
        synchronized (spoolLock) {
            ended = true;
            spoolLock.notifyAll();
        }
        Files.deleteIfExists(files.socket());
        return 0;
    }

    /**
     * Children that outlive the command and keep its pipes open would keep the job running for ever: after
     * the linger time they are ended (SIGTERM, then SIGKILL), as the in-server runner did.
     */
    private void awaitPumps(Thread out, Thread err) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lingerMillis);
        out.join(Math.max(1, lingerMillis));
        err.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (out.isAlive() || err.isAlive()) {
            System.err.println("the command exited but processes of its group still hold its output; ending them");
            signalGroup("TERM");
            out.join(AFTER_TERM_MILLIS);
            err.join(AFTER_TERM_MILLIS);
            if (out.isAlive() || err.isAlive()) {
                signalGroup("KILL");
                out.join(AFTER_TERM_MILLIS);
                err.join(AFTER_TERM_MILLIS);
            }
        }
    }

    private void pump(byte stream, InputStream input) {
        byte[] buffer = new byte[SupervisorFiles.FRAME_HEADER_BYTES + CHUNK];
        try (input) {
            int n;
            while ((n = input.read(buffer, SupervisorFiles.FRAME_HEADER_BYTES, CHUNK)) != -1) {
                if (n > 0) {
                    append(stream, buffer, n);
                }
            }
        } catch (IOException e) {
            System.err.println("reading the command's output failed: " + e);
        }
    }

    private void append(byte stream, byte[] buffer, int length) {
        buffer[0] = stream;
        ByteBuffer.wrap(buffer, 1, 4).putInt(length);
        ByteBuffer frame = ByteBuffer.wrap(buffer, 0, SupervisorFiles.FRAME_HEADER_BYTES + length);
        synchronized (spoolLock) {
            try {
                while (frame.hasRemaining()) {
                    spool.write(frame);
                }
            } catch (IOException e) {
                // Keep reading, so the command never blocks on a full pipe; the log says what was lost.
                System.err.println("writing the spool failed, " + length + " bytes of output lost: " + e);
            }
            frames++;
            spoolLock.notifyAll();
        }
    }

    private void accept(ServerSocketChannel server) {
        while (true) {
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (IOException e) {
                return;
            }
            daemon("request", () -> serve(connection));
        }
    }

    /** One request per connection: a line, answered by a line ({@code FOLLOW} answers with a byte per change). */
    private void serve(SocketChannel connection) {
        try (connection) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(connection),
                    StandardCharsets.UTF_8));
            String request = in.readLine();
            if (request == null) {
                return;
            }
            if (request.equals("FOLLOW")) {
                follow(connection);
                return;
            }
            String reply = handle(request);
            ByteBuffer bytes = ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                connection.write(bytes);
            }
        } catch (IOException | InterruptedException e) {
            // The server went away mid-request; it asks again when it is back.
        }
    }

    private String handle(String request) {
        String[] parts = request.split(" ", 3);
        return switch (parts[0]) {
            case "PING" -> "PONG " + process.pid();
            case "SIGNAL" -> parts.length == 2 ? "OK " + signal(parts[1]) : "ERR usage: SIGNAL <name>";
            case "ANSWER" -> parts.length == 3 ? answer(Long.parseLong(parts[1]), parts[2]) : "ERR usage: ANSWER <id> <line>";
            default -> "ERR unknown request";
        };
    }

    /** Writes an answer once per id: the server sends again whatever it is not sure arrived. */
    private String answer(long id, String line) {
        if (!delivered.add(id)) {
            return "OK already";
        }
        synchronized (stdinLock) {
            if (stdinClosed) {
                delivered.remove(id);
                return "ERR the command has ended";
            }
            try {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                return "OK";
            } catch (IOException e) {
                delivered.remove(id);
                return "ERR the command does not read its input any more: " + e.getMessage();
            }
        }
    }

    /** Ticks (a byte) whenever frames were appended, and {@code E} once the spool is complete. */
    private void follow(SocketChannel connection) throws IOException, InterruptedException {
        long seen = -1;
        while (true) {
            boolean end;
            synchronized (spoolLock) {
                while (frames == seen && !ended) {
                    spoolLock.wait();
                }
                seen = frames;
                end = ended;
            }
            ByteBuffer tick = ByteBuffer.wrap(new byte[] {(byte) (end ? 'E' : '.')});
            while (tick.hasRemaining()) {
                connection.write(tick);
            }
            if (end) {
                return;
            }
        }
    }

    private boolean signal(String name) {
        if (!name.matches("[A-Z0-9]+")) {
            return false;
        }
        // Until setsid has run the group does not exist yet: then the command alone.
        return signalGroup(name) || process.isAlive() && kill(name, Long.toString(process.pid()));
    }

    private boolean signalGroup(String name) {
        return kill(name, "-" + process.pid());
    }

    private static boolean kill(String signal, String target) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", target).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.getOutputStream().close();
            return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void closeStdin() {
        synchronized (stdinLock) {
            stdinClosed = true;
            try {
                stdin.close();
            } catch (IOException ignored) {
                // the command is gone; nothing is lost
            }
        }
    }

    private static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, "supervisor-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void removeQuietly(Path directory) {
        try {
            SupervisorFiles.removeTree(directory);
        } catch (IOException | UncheckedIOException e) {
            // Already gone (the server took it over, or removed it): nothing of this spare is left.
        }
    }

    /** Written beside, then renamed: a reader sees the whole file or none. */
    static void writeWhole(Path file, String content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, content + "\n", StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
