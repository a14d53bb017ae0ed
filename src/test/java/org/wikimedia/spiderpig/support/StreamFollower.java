package org.wikimedia.spiderpig.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * One viewer of a job's event stream ({@code GET /api/jobs/{id}/events}) on a thread of its own, as a browser's
 * {@code EventSource} is: it keeps every event it got, notices when its connection is cut before the job's
 * {@code end}, and can resume on any server with {@code Last-Event-ID}, so a test sees exactly what a viewer
 * across a failing server would.
 */
public final class StreamFollower implements AutoCloseable {

    /** An event as it came: its SSE id (the seq), its type and its data. */
    public record Event(long seq, String type, JsonNode data) {

        public String text() {
            return data.path("text").asString("");
        }
    }

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final long jobId;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean connected;
    private volatile boolean ended;
    private volatile String lostBecause;
    private volatile InputStream body;
    private volatile Thread reader;

    private StreamFollower(long jobId) {
        this.jobId = jobId;
    }

    /** Follows the job from its first event on the server at {@code baseUrl}. */
    public static StreamFollower follow(String baseUrl, long jobId) {
        StreamFollower follower = new StreamFollower(jobId);
        follower.connect(baseUrl);
        return follower;
    }

    /** After a lost connection: a new one to {@code baseUrl}, from the event after the last one received. */
    public void resumeOn(String baseUrl) {
        if (connected) {
            throw new IllegalStateException("still connected");
        }
        connect(baseUrl);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** How many connections the stream took so far (1 while it was never cut). */
    public int connections() {
        return connections.get();
    }

    public boolean connected() {
        return connected;
    }

    /** The job's {@code end} came, and the server closed the stream after it. */
    public boolean ended() {
        return ended && !connected;
    }

    /** Why the last connection ended before the job's end; null while it did not. */
    public String lostBecause() {
        return lostBecause;
    }

    /** The output lines received so far, their texts, in the order they came. */
    public List<String> lineTexts() {
        return events.stream().filter(event -> event.type().equals("line")).map(Event::text).toList();
    }

    private void connect(String baseUrl) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/jobs/" + jobId + "/events"))
                .timeout(Duration.ofSeconds(60));
        if (!events.isEmpty()) {
            request.header("Last-Event-ID", Long.toString(events.get(events.size() - 1).seq()));
        }
        connected = true;
        lostBecause = null;
        connections.incrementAndGet();
        Thread thread = new Thread(() -> read(request.build()), "stream-follower-" + jobId + "-" + connections.get());
        thread.setDaemon(true);
        reader = thread;
        thread.start();
    }

    private void read(HttpRequest request) {
        String why = "the server closed the stream before the job's end";
        try {
            HttpResponse<InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
            body = response.body();
            if (response.statusCode() != 200) {
                why = "status " + response.statusCode();
                return;
            }
            readEvents(new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            why = e.toString();
        } catch (InterruptedException e) {
            why = "closed";
            Thread.currentThread().interrupt();
        } finally {
            if (!ended) {
                lostBecause = why;
            }
            connected = false;
        }
    }

    private void readEvents(BufferedReader lines) throws IOException {
        SseLines.read(lines, (seq, type, data) -> {
            events.add(new Event(seq, type, Api.parse(data)));
            ended |= type.equals("end");
        });
    }

    /** Cuts the connection, if it is still open. */
    @Override
    public void close() {
        Thread thread = reader;
        InputStream stream = body;
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
