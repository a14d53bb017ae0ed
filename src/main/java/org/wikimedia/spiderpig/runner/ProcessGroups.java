package org.wikimedia.spiderpig.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process groups on Linux: who is in one (read from {@code /proc}) and signalling all of them
 * (through {@code kill}, since Java cannot signal a group). Methods here block briefly; call them from
 * an I/O scheduler or at startup, never from an event loop.
 */
public final class ProcessGroups {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessGroups.class);
    private static final Path PROC = Path.of("/proc");
    private static final Duration POLL = Duration.ofMillis(50);

    private ProcessGroups() {
    }

    /** The live (not zombie) processes whose process group is {@code pgid}. */
    public static List<Long> members(long pgid) {
        List<Long> members = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                Stat stat = Stat.read(entry.resolve("stat"));
                if (stat != null && stat.pgrp == pgid && stat.state != 'Z' && stat.state != 'X') {
                    members.add(Long.parseLong(entry.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + PROC, e);
        }
        return members;
    }

    public static boolean isAlive(long pgid) {
        return !members(pgid).isEmpty();
    }

    /** The process group of a process, or -1 when it does not exist. */
    public static long groupOf(long pid) {
        Stat stat = Stat.read(PROC.resolve(Long.toString(pid)).resolve("stat"));
        return stat == null ? -1 : stat.pgrp;
    }

    /**
     * Sends {@code signal} (a name such as {@code INT}, {@code TERM}, {@code KILL}) to every process of
     * the group. Answers false when the group no longer exists.
     */
    public static boolean signal(long pgid, String signal) {
        return runKill(signal, "-" + pgid);
    }

    /** Sends {@code signal} to one process. Answers false when it no longer exists. */
    public static boolean signalProcess(long pid, String signal) {
        return runKill(signal, Long.toString(pid));
    }

    /**
     * Ends a process group left behind by an earlier server process (a job interrupted by a crash):
     * SIGTERM, then SIGKILL if it is still alive after {@code grace}. To avoid killing an unrelated group
     * that got the same id after a reboot, a group is only ended when one of its members has
     * {@code SPIDERPIG_IO_KEY=ioKey} in its environment (pass the key the job was started with), and
     * never the server's own group. Blocks up to about {@code grace} plus a second.
     *
     * @return true when a group was found and signalled
     */
    public static boolean terminateIfAlive(long pgid, String ioKey, Duration grace) {
        if (pgid <= 1 || pgid == groupOf(ProcessHandle.current().pid())) {
            return false;
        }
        List<Long> members = members(pgid);
        if (members.isEmpty()) {
            return false;
        }
        if (ioKey != null && members.stream().noneMatch(pid -> hasIoKey(pid, ioKey))) {
            LOG.warn("Not ending process group {}: none of its processes has the job's I/O key", pgid);
            return false;
        }
        LOG.info("Ending leftover process group {} ({} processes)", pgid, members.size());
        signal(pgid, "TERM");
        if (!awaitGone(pgid, grace)) {
            signal(pgid, "KILL");
            awaitGone(pgid, Duration.ofSeconds(1));
        }
        return true;
    }

    /** Like {@link #terminateIfAlive(long, String, Duration)} without the I/O key check. */
    public static boolean terminateIfAlive(long pgid, Duration grace) {
        return terminateIfAlive(pgid, null, grace);
    }

    private static boolean awaitGone(long pgid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive(pgid)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL.toMillis()); // polling with a deadline: there is no wait() for a group
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isAlive(pgid);
            }
        }
        return true;
    }

    static boolean hasIoKey(long pid, String ioKey) {
        try {
            byte[] environ = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
            String wanted = "SPIDERPIG_IO_KEY=" + ioKey;
            for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
                if (entry.equals(wanted)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static boolean runKill(String signal, String target) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", target)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.getOutputStream().close();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                return false;
            }
            return kill.exitValue() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill to send SIG" + signal + " to " + target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record Stat(char state, long pgrp) {
        static Stat read(Path statFile) {
            String stat;
            try {
                stat = new String(Files.readAllBytes(statFile), StandardCharsets.ISO_8859_1);
            } catch (IOException | SecurityException gone) {
                return null;
            }
            // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses.
            int close = stat.lastIndexOf(')');
            if (close < 0) {
                return null;
            }
            String[] fields = stat.substring(close + 2).split(" ");
            if (fields.length < 3) {
                return null;
            }
            return new Stat(fields[0].charAt(0), Long.parseLong(fields[2]));
        }
    }
}
