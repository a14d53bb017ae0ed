package org.wikimedia.spiderpig.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Gerrit REST API on 127.0.0.1 that answers {@code GET /changes/{number}} as recorded: a change (with
 * Gerrit's {@code )]}'} prefix), or a given status and body, or never (until {@link #close()}).
 */
public final class FakeGerrit implements AutoCloseable {

    public record Answer(int status, String body, boolean hang) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    public FakeGerrit() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/changes/", this::answer);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeGerrit change(String number, String project, String branch, String subject, String status, String message) {
        String revision = "a".repeat(40);
        String json = """
                {"id":"%s~%s~I0","project":"%s","branch":"%s","subject":"%s","status":"%s","_number":%s,
                 "current_revision":"%s","revisions":{"%s":{"_number":2,"commit":{"subject":"%s","message":"%s"}}}}"""
                .formatted(project.replace("/", "%2F"), branch, project, branch, subject, status, number, revision,
                        revision, subject, message.replace("\n", "\\n").replace("\"", "\\\""));
        return answer(number, new Answer(200, ")]}'\n" + json, false));
    }

    public FakeGerrit answer(String number, Answer answer) {
        answers.put(number, answer);
        return this;
    }

    /** How many times the change was asked for. */
    public int asked(String number) {
        return asked.getOrDefault(number, new AtomicInteger()).get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String number = path.substring(path.lastIndexOf('/') + 1);
            asked.computeIfAbsent(number, n -> new AtomicInteger()).incrementAndGet();
            Answer answer = answers.getOrDefault(number, new Answer(404, "Not found: " + number, false));
            if (answer.hang()) {
                try {
                    closing.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.status() == 200
                    ? "application/json; charset=UTF-8" : "text/plain; charset=UTF-8");
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
