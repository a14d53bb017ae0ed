package org.wikimedia.spiderpig.supervisor;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What a spare supervisor does while it waits for its job: once each of the steps a supervisor takes
 * before its command runs and its {@code started} file is written (a process started, a file written
 * whole, a socket bound, its own start time read, a lambda made), so that their classes are loaded and
 * linked then rather than while a job waits. Every step may fail: a spare that could not warm up is only
 * slower. Then it says it is {@link SupervisorFiles#ready() ready}.
 */
final class SpareWarmUp {

    private static final long PROCESS_WAIT_SECONDS = 10;

    private SpareWarmUp() {
    }

    static void run(Path directory) {
        Runnable lambda = () -> ProcessHandle.current().info().startInstant();
        lambda.run();
        try {
            Process process = new ProcessBuilder("true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.getOutputStream().close();
            process.waitFor(PROCESS_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no process warmed up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // In a directory apart: the spare's own may become a job's at any moment, and must then hold no leftovers.
        try {
            Path scratch = Files.createTempDirectory("spiderpig-spare-");
            try {
                Supervisor.writeWhole(scratch.resolve("f"), "");
                try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                    server.bind(UnixDomainSocketAddress.of(scratch.resolve("s")));
                }
            } finally {
                SupervisorFiles.removeTree(scratch);
            }
        } catch (IOException | RuntimeException e) {
            // not warmed up: only slower
        }
        try {
            Supervisor.writeWhole(new SupervisorFiles(directory).ready(), "");
        } catch (IOException | RuntimeException e) {
            // the server has moved the directory to its job's already
        }
    }
}
