package org.wikimedia.spiderpig.cli;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One connection to a job's event stream, read line by line. Lines are requested a window at a time, so
 * a slow reader of our output slows the stream instead of filling memory; and a silence longer than the
 * caller allows (the server sends a heartbeat every 15 s) counts as a lost connection, which a
 * blocking read of a half-open socket would never notice.
 */
final class EventStreamConnection implements AutoCloseable {

    private static final int WINDOW = 256;
    private static final Object ENDED = new Object();

    private final BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<String>> response;
    private final ApiClient api;
    private volatile Flow.Subscription subscription;

    EventStreamConnection(HttpClient http, HttpRequest request, ApiClient api) {
        this.api = api;
        this.response = http.sendAsync(request, this::bodyFor);
        // Completes after the last line was delivered (or at once when the answer is an error).
        this.response.whenComplete((answer, error) -> arrivals.add(ENDED));
    }

    /**
     * The next line of the stream. Throws {@link Lost} when the connection failed, ended early or went
     * silent (worth reconnecting), and a {@link ServerProblem} when the server refused the stream.
     */
    String nextLine(Duration silence) throws Lost, InterruptedException {
        Object next = arrivals.poll(silence.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new Lost("nothing received for " + silence.toSeconds() + " s");
        }
        if (next == ENDED) {
            throw ending();
        }
        subscription.request(1);
        return (String) next;
    }

    /** Whether another line is already here, so output can be flushed once per batch instead of per line. */
    boolean hasMore() {
        return !arrivals.isEmpty();
    }

    @Override
    public void close() {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        response.cancel(true);
    }

    private Lost ending() {
        HttpResponse<String> answer;
        try {
            answer = response.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Lost(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        }
        if (answer.statusCode() == 200) {
            return new Lost("the server closed the stream before the job's end");
        }
        ServerProblem problem = api.problem(answer.statusCode(), answer.body());
        if (answer.statusCode() >= 500) {
            // A proxy in front of a restarting server, or a passing failure: worth another try.
            return new Lost(problem.getMessage());
        }
        throw problem;
    }

    private BodySubscriber<String> bodyFor(HttpResponse.ResponseInfo info) {
        if (info.statusCode() != 200) {
            return BodySubscribers.ofString(StandardCharsets.UTF_8);
        }
        return BodySubscribers.fromLineSubscriber(new Lines(), lines -> null, StandardCharsets.UTF_8, null);
    }

    /** The connection is gone; the caller reconnects from the last event it handled. */
    static final class Lost extends IOException {
        Lost(String reason) {
            super(reason);
        }
    }

    private final class Lines implements Flow.Subscriber<String> {

        @Override
        public void onSubscribe(Flow.Subscription granted) {
            subscription = granted;
            granted.request(WINDOW);
        }

        @Override
        public void onNext(String line) {
            arrivals.add(line);
        }

        @Override
        public void onError(Throwable error) {
            // Reported through the response, which completes exceptionally.
        }

        @Override
        public void onComplete() {
            // Reported through the response, which completes after the last line.
        }
    }
}
