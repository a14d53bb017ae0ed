package org.wikimedia.spiderpig.web;

import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.job.JobChange;
import org.wikimedia.spiderpig.job.JobChanges;
import org.wikimedia.spiderpig.masking.EventMasker;
import org.wikimedia.spiderpig.model.json.EventJson;
import org.wikimedia.spiderpig.metrics.StreamMetrics;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.NettyOutbound;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-Sent Events: one job's event log (replayed from the client's position, then live, then
 * {@code end}), and the job-level changes of all jobs.
 */
class EventStreamHandler {

    static final String LAST_EVENT_ID = "Last-Event-ID";
    private static final byte[] CONNECTED = SseMessages.comment("connected");
    private static final byte[] HEARTBEAT = SseMessages.comment("heartbeat");

    private final JobStore jobs;
    private final JobEventLogs logs;
    private final JobChanges changes;
    private final EventMasker masker;
    private final SseMessages messages;
    private final JsonMapper json;
    private final Duration heartbeat;
    private final StreamMetrics metrics;
    private final StreamsAtShutdown shutdown;
    private final EventJson eventJson;
    private final LogAccess access;
    private final LiveFanOuts fanOuts;

    EventStreamHandler(JobStore jobs, JobEventLogs logs, JobChanges changes, EventMasker masker,
                       SseMessages messages, JsonMapper json, Duration heartbeat,
                       StreamMetrics metrics, StreamsAtShutdown shutdown, EventJson eventJson, LogAccess access,
                       FanOutPace pace) {
        this.eventJson = eventJson;
        this.access = access;
        this.jobs = jobs;
        this.logs = logs;
        this.changes = changes;
        this.masker = masker;
        this.messages = messages;
        this.json = json;
        this.heartbeat = heartbeat;
        this.metrics = metrics;
        this.shutdown = shutdown;
        this.fanOuts = new LiveFanOuts(messages, pace, metrics);
    }

    Mono<ServerResponse> job(ServerRequest request) {
        long id = RequestValues.pathId(request, "id", "job");
        Long lastEventId = RequestValues.headerLong(request, LAST_EVENT_ID, 0, Long.MAX_VALUE).orElse(null);
        Long after = RequestValues.queryLong(request, "after", 0, Long.MAX_VALUE).orElse(null);
        Long tail = RequestValues.queryLong(request, "tail", 0, Long.MAX_VALUE).orElse(null);
        boolean latestLines = RequestValues.queryChoice(request, "lines", "all", "all", "latest").equals("latest");
        Channel connection = connection(request);
        Mono<ServerResponse> response = jobs.find(id)
                .switchIfEmpty(Mono.error(() -> Problem.notFound("There is no job " + id + ".")))
                .then(access.unmasked(request, id))
                .flatMap(unmasked -> logs.open(id)
                        .flatMap(log -> startPosition(log, lastEventId, after, tail).flatMap(start -> {
                            Channel channel = unmasked ? null : connection;
                            if (channel != null) {
                                return direct(request, log, start, channel, latestLines);
                            }
                            // Without a channel of its own to time, a stream of the latest lines cuts each batch.
                            Flux<List<JobEvent>> batches = latestLines
                                    ? log.followBatches(start).map(batch -> LatestLines.cut(batch, LatestLines.KEPT))
                                    : log.followBatches(start);
                            return stream(request, "job", connectedWith(unmasked
                                    ? batches.concatMapIterable(batch -> batch.stream()
                                            .map(e -> ByteBuffer.wrap(SseMessages.unmasked(e, eventJson))).toList(), 1)
                                    : batches.concatMapIterable(messages::writes, 1)));
                        })));
        // The database's answers arrive on its driver's threads (on PostgreSQL, r2dbc-postgresql's own event
        // loops, which also carry the job's log writes); the response is written from the connection's event
        // loop instead, so that its headers and first bytes are written in place rather than handed over as a
        // task, and the driver's loops do no HTTP work.
        return connection == null ? response : response.publishOn(Schedulers.fromExecutor(connection.eventLoop()));
    }

    /**
     * The Netty channel of the request's connection, when the server is Reactor Netty (a mock exchange has
     * none; HEAD answers only headers): a masked stream is then written straight to it, through the job's
     * {@link LogFanOut} once it is live.
     */
    private static Channel connection(ServerRequest request) {
        if (HttpMethod.HEAD.equals(request.method())) {
            return null;
        }
        try {
            Object response = ServerHttpResponseDecorator.getNativeResponse(request.exchange().getResponse());
            return response instanceof Connection connection && response instanceof NettyOutbound
                    ? connection.channel() : null;
        } catch (IllegalArgumentException notReactorNetty) {
            return null;
        }
    }

    /**
     * Headers first (committed by Spring, sent by Reactor Netty), then the stream writes its messages to the
     * channel itself; when it completes, Reactor Netty ends the chunked body.
     */
    private Mono<ServerResponse> direct(ServerRequest request, JobEventLog log, long start, Channel channel,
                                        boolean latestLines) {
        return headers().body((response, context) -> {
            NettyOutbound outbound = ServerHttpResponseDecorator.getNativeResponse(request.exchange().getResponse());
            DirectEventStream stream = new DirectEventStream(channel, log, start, messages, fanOuts, heartbeat, latestLines);
            return response.setComplete()
                    .then(outbound.then())
                    .thenMany(metrics.counted("job", shutdown.endingAtShutdown(stream.run().flux())))
                    .then();
        });
    }

    private static ServerResponse.BodyBuilder headers() {
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
    }

    Mono<ServerResponse> allJobs(ServerRequest request) {
        return stream(request, "jobs", connectedThen(changes.follow().map(change -> ByteBuffer.wrap(toSse(change)))));
    }

    /**
     * The connected comment, then the changes, subscribed to as the comment goes out: merged in after
     * subscribing (as a job's stream does), another job's change coming in meanwhile on another thread went
     * out before the comment. A client that saw the comment misses no change it can cause after it: that
     * takes a request of its own, long after this subscription.
     */
    static Flux<ByteBuffer> connectedThen(Flux<ByteBuffer> changes) {
        return Flux.concat(connectedComment(), changes);
    }

    /**
     * The connected comment, merged in right after subscribing to a job's events: they start from a position
     * in its log, so any of them may come first; the comment's bytes leave at once either way.
     */
    private static Flux<ByteBuffer> connectedWith(Flux<ByteBuffer> events) {
        return Flux.merge(1, events, connectedComment());
    }

    private static Mono<ByteBuffer> connectedComment() {
        return Mono.fromSupplier(() -> ByteBuffer.wrap(CONNECTED));
    }

    /** Last-Event-ID wins (a reconnecting EventSource), then ?after, then ?tail, else the start. */
    private static Mono<Long> startPosition(JobEventLog log, Long lastEventId, Long after, Long tail) {
        if (lastEventId != null) {
            return Mono.just(lastEventId);
        }
        if (after != null) {
            return Mono.just(after);
        }
        if (tail != null) {
            long firstLine = log.lineCount() - tail + 1;
            return firstLine <= 1 ? Mono.just(0L) : log.seqBeforeLine(firstLine);
        }
        return Mono.just(0L);
    }

    /** {@code name} tells the streams apart in the metrics: {@code job} (one job's events) or {@code jobs}. */
    private Mono<ServerResponse> stream(ServerRequest request, String name, Flux<ByteBuffer> messages) {
        ServerResponse.BodyBuilder headers = headers();
        if (HttpMethod.HEAD.equals(request.method())) {
            // A stream has no end to wait for: HEAD answers the headers at once.
            return headers.build();
        }
        // The messages begin with the connected comment, so that headers and first bytes leave at once
        // (curl -N shows the stream is open, EventSource fires onopen); then heartbeats until the stream
        // ends, so that proxies keep an idle stream open.
        // Prefetch 1 throughout: writes are up to 8 KiB, and a stalled client should hold few of them.
        Flux<ByteBuffer> body = messages
                .publish(shared -> Flux.merge(1,
                        shared,
                        Flux.interval(heartbeat)
                                // A client too slow to take a heartbeat needs no second one.
                                .onBackpressureDrop()
                                .map(tick -> ByteBuffer.wrap(HEARTBEAT))
                                .takeUntilOther(shared.ignoreElements().materialize())), 1);
        Flux<ByteBuffer> counted = metrics.counted(name, shutdown.endingAtShutdown(body));
        // Written as plain bytes rather than through Spring's SSE writer, which flushes after every
        // message: Reactor Netty flushes whenever no next message is ready, so a burst of output leaves in
        // few writes while a lone line still leaves at once. Wrapping shares the bytes, never copies them:
        // a duplicate, because the buffers of a batch are shared with other streams.
        return headers.body((response, context) -> response.writeWith(
                counted.map(buffer -> response.bufferFactory().wrap(buffer.duplicate()))));
    }

    private byte[] toSse(JobChange change) {
        JobChange masked = new JobChange(change.kind(), change.job(),
                change.interaction() == null ? null : masker.mask(change.interaction()));
        return SseMessages.message(change.kind().eventName(), json.writeValueAsString(masked));
    }
}
