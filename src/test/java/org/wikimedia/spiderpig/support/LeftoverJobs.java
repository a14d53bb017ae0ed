package org.wikimedia.spiderpig.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Jobs outlive their servers (each runs under a supervisor of its own), so a test that leaves a job
 * running would leave its processes behind on the machine. When the test run ends, this ends every job
 * process started in the data directories the tests made ({@link TestScripts#tempDirectory}).
 */
public final class LeftoverJobs implements LauncherSessionListener {

    private static final List<Path> DATA_DIRECTORIES = new CopyOnWriteArrayList<>();

    static void watch(Path directory) {
        DATA_DIRECTORIES.add(directory);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        DATA_DIRECTORIES.forEach(LeftoverJobs::endAll);
    }

    /** SIGKILL to every job command's process group and every supervisor under {@code data}. */
    public static void endAll(Path data) {
        Path supervisors = data.resolve("supervisors");
        if (!Files.isDirectory(supervisors)) {
            return;
        }
        try (DirectoryStream<Path> jobs = Files.newDirectoryStream(supervisors)) {
            for (Path job : jobs) {
                firstNumber(job.resolve("started"), "ok ").ifPresent(pgid -> kill("-" + pgid));
                firstNumber(job.resolve("supervisor"), "").ifPresent(pid -> kill(Long.toString(pid)));
            }
        } catch (IOException e) {
            // the directory went away with its test
        }
    }

    private static java.util.Optional<Long> firstNumber(Path file, String prefix) {
        try {
            String content = Files.readString(file).strip();
            if (!content.startsWith(prefix)) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(Long.parseLong(content.substring(prefix.length()).split(" ")[0]));
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private static void kill(String target) {
        try {
            new ProcessBuilder("kill", "-s", "KILL", "--", target).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            // nothing to end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
