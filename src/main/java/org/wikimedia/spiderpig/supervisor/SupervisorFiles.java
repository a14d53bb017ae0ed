package org.wikimedia.spiderpig.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The files through which a job's supervisor and the server meet, all in the job's own directory
 * ({@code <data-dir>/supervisors/<job>/}); see docs/architecture.md ("Durable jobs").
 *
 * <ul>
 *   <li>{@code spool}: everything the command wrote, as frames: one byte for the stream
 *       ({@link #STDOUT} or {@link #STDERR}), the payload's length (4 bytes, big-endian), the bytes as read.
 *       Append-only; the one record of the command's output.</li>
 *   <li>{@code started}: {@code ok <pid>} once the command runs (its pid is its process group), or
 *       {@code error <why>} when it could not start; written whole (by rename).</li>
 *   <li>{@code exit}: the command's exit code, written whole after the last frame is in the spool.</li>
 *   <li>{@code supervisor}: the supervisor's pid and start time (milliseconds since the epoch).</li>
 *   <li>{@code s}: the supervisor's Unix domain socket (a short name: socket paths hold 107 bytes).</li>
 *   <li>{@code supervisor.log}: what the supervisor itself has to say (normally nothing).</li>
 *   <li>{@code ready}: in a spare supervisor's directory only, once it waits for its job, warmed up.</li>
 * </ul>
 */
public record SupervisorFiles(Path directory) {

    public static final byte STDOUT = 1;
    public static final byte STDERR = 2;
    public static final int FRAME_HEADER_BYTES = 5;
    /** The longest path the kernel takes for a Unix domain socket (sun_path less its terminating zero). */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    public Path spool() {
        return directory.resolve("spool");
    }

    public Path started() {
        return directory.resolve("started");
    }

    public Path exit() {
        return directory.resolve("exit");
    }

    public Path supervisor() {
        return directory.resolve("supervisor");
    }

    public Path socket() {
        return directory.resolve("s");
    }

    public Path log() {
        return directory.resolve("supervisor.log");
    }

    public Path ready() {
        return directory.resolve("ready");
    }

    /** Removes {@code directory} with everything in it; nothing if it does not exist. */
    public static void removeTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
