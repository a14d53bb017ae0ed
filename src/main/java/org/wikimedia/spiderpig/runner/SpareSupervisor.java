package org.wikimedia.spiderpig.runner;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.wikimedia.spiderpig.supervisor.LaunchOrder;
import org.wikimedia.spiderpig.supervisor.Supervisor;
import org.wikimedia.spiderpig.supervisor.SupervisorFiles;

/**
 * A supervisor started before its job (detached like any other, {@code supervise --spare}), so that a job
 * does not wait for a JVM to start: it waits in a directory of its own for its {@link LaunchOrder} on its
 * stdin, a pipe from this server. The server hands it a job by renaming that directory to the job's and
 * writing the order; the supervisor's own output (already going to {@code supervisor.log} in it) moves
 * with it. A spare never handed a job ends when its stdin does: when the server dismisses it, or dies.
 */
final class SpareSupervisor {

    private static final long DISMISS_WAIT_SECONDS = 10;

    private final Process process;
    private final Path directory;

    private SpareSupervisor(Process process, Path directory) {
        this.process = process;
        this.directory = directory;
    }

    static SpareSupervisor start(Path directory, List<String> supervisorCommand) throws IOException {
        SupervisedLauncher.removeAll(directory);
        Files.createDirectories(directory);
        List<String> command = new ArrayList<>();
        command.add("setsid"); // a session of its own, as SupervisedLauncher starts every supervisor
        command.addAll(supervisorCommand);
        command.add(Supervisor.SPARE);
        command.add(directory.toString());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new SupervisorFiles(directory).log().toFile()))
                .start();
        return new SpareSupervisor(process, directory);
    }

    /**
     * Moves this spare to the order's directory (which must not exist) and tells it the order. False if it
     * had ended before it could take the whole order: then it runs nothing and its directory is gone.
     */
    boolean hand(LaunchOrder order) throws IOException {
        if (!process.isAlive()) {
            dismiss();
            return false;
        }
        Files.move(directory, order.directory(), StandardCopyOption.ATOMIC_MOVE);
        try (OutputStream stdin = process.getOutputStream()) {
            order.writeTo(stdin);
        } catch (IOException e) {
            process.destroyForcibly();
            SupervisedLauncher.removeAll(order.directory());
            return false;
        }
        return true;
    }

    Process process() {
        return process;
    }

    /**
     * Ends a spare that no job will take. The end of its input would tell it to go, but only once its JVM has
     * started: a SIGTERM does not make a stopping server wait for that.
     */
    void dismiss() {
        try {
            process.getOutputStream().close();
            process.destroy();
            if (!process.waitFor(DISMISS_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        SupervisedLauncher.removeAll(directory);
    }
}
