package org.wikimedia.spiderpig.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wikimedia.spiderpig.SpiderPigApplication;

/**
 * The server in a JVM of its own, for tests that kill it or measure its memory: started from the test
 * classpath on a free port, with its output in a file beside its data.
 */
public final class ServerProcess implements AutoCloseable {

    /**
     * A start takes 10 s on an idle machine and has taken over 2 minutes on a busy 2-core one (over 4 minutes at load
     * average 35, for a second server on PostgreSQL beside a first).
     */
    private static final Duration STARTUP = Duration.ofSeconds(360);

    private final Process process;
    private final int port;
    private final Path output;

    private ServerProcess(Process process, int port, Path output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /**
     * Starts the server and returns once it answers {@code /api/status}. The arguments must not repeat
     * the port or data directory: Spring joins a repeated command-line property's values with commas.
     */
    public static ServerProcess start(Path data, List<String> jvmOptions, List<String> arguments) {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SpiderPigApplication.class.getName(),
                "--server.port=" + port, "--spiderpig.data-dir=" + data));
        command.addAll(arguments);
        Path output = data.resolve("server-" + port + ".log");
        try {
            Files.createDirectories(data);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            ServerProcess server = new ServerProcess(process, port, output);
            try {
                server.awaitUp();
            } catch (RuntimeException | Error e) {
                // Nobody else holds it to stop it: left running, it would outlive the test (and its database).
                process.destroyForcibly();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Api api() {
        return new Api(WebTestClient.bindToServer().baseUrl(baseUrl()).responseTimeout(Duration.ofSeconds(30)).build());
    }

    /** SIGKILL, as a crash or the OOM killer would; returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            assertThat(process.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).as("the server died").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, as an operator's stop; SIGKILL if the server is not gone by the deadline. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    private void awaitUp() {
        Api api = api();
        await("the server came up").atMost(STARTUP).pollInterval(Duration.ofMillis(100))
                .failFast("the server exited", () -> assertThat(process.isAlive())
                        .as("the server exited: %s", Files.readString(output)).isTrue())
                .ignoreExceptions()
                .untilAsserted(() -> api.client().get().uri("/api/status").exchange().expectStatus().isOk());
    }

    /** A port nothing listens on now, for a server started as a process of its own. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
