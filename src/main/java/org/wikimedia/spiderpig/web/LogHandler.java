package org.wikimedia.spiderpig.web;

import java.util.List;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.job.JobSteps;
import org.wikimedia.spiderpig.masking.EventMasker;
import org.wikimedia.spiderpig.masking.PlainTextLog;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.json.EventJson;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** A job's output by line range, as JSON or text, and as a download; always masked. */
class LogHandler {

    static final int MAX_LINES = 10_000;
    /** An answer stops after the line that reaches this many characters of text; {@code to} says where. */
    static final int MAX_TEXT_CHARS = 4 * 1024 * 1024;

    private final JobStore jobs;
    private final JobEventLogs logs;
    private final EventMasker masker;
    private final PlainTextLog plainText;
    private final EventJson eventJson;

    private final LogAccess access;

    LogHandler(JobStore jobs, JobEventLogs logs, EventMasker masker, EventJson eventJson, LogAccess access) {
        this.access = access;
        this.jobs = jobs;
        this.logs = logs;
        this.masker = masker;
        this.plainText = new PlainTextLog(masker);
        this.eventJson = eventJson;
    }

    Mono<ServerResponse> range(ServerRequest request) {
        long from = RequestValues.queryLong(request, "from", 1, Long.MAX_VALUE).orElse(1L);
        Long to = RequestValues.queryLong(request, "to", 1, Long.MAX_VALUE).orElse(null);
        if (to != null && to < from) {
            throw Problem.malformed("The range is backwards: from=" + from + " is after to=" + to
                    + " (lines [from, to) are answered; from=" + to + "&to=" + from + " may be what you meant).");
        }
        boolean stripAnsi = stripAnsi(request);
        boolean asText = wantsText(request);
        return log(request).flatMap(log -> access.unmasked(request, log.jobId()).flatMap(unmasked -> {
            long size = log.lineCount();
            long end = Math.min(to == null ? size + 1 : to, size + 1);
            if (end - from > MAX_LINES) {
                return Mono.error(Problem.malformed("At most " + MAX_LINES + " lines fit in one answer; ask for a smaller range "
                        + "(from=" + from + "&to=" + (from + MAX_LINES) + ") or download log.txt."));
            }
            long last = Math.max(from, end);
            if (asText) {
                return ServerResponse.ok().contentType(MediaType.TEXT_PLAIN)
                        .body(text(withinTextBudget(log.lines(from, last)), stripAnsi, unmasked), String.class);
            }
            return withinTextBudget(log.lines(from, last))
                    .map(event -> lineNode(unmasked ? event : masker.mask(event), stripAnsi))
                    .collectList()
                    .flatMap(lines -> {
                        long next = lines.isEmpty() ? last : lines.get(lines.size() - 1).get("line").asLong() + 1;
                        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of(
                                "from", from, "to", next, "size", size, "lines", lines));
                    });
        }));
    }

    /** The lines as text: masked by {@link PlainTextLog}, or as they were for an allowed unmasked read. */
    private Flux<String> text(Flux<JobEvent> lines, boolean stripAnsi, boolean unmasked) {
        if (!unmasked) {
            return plainText.render(lines, stripAnsi);
        }
        return lines.filter(event -> event.payload() instanceof OutputLine).map(event -> {
            String text = ((OutputLine) event.payload()).text();
            return (stripAnsi ? PlainTextLog.stripAnsi(text) : text) + "\n";
        });
    }

    /** Huge lines (up to the runner's cap each) must not make one answer huge: stop after a budget. */
    private static Flux<JobEvent> withinTextBudget(Flux<JobEvent> lines) {
        return Flux.defer(() -> {
            long[] chars = {0};
            return lines.takeUntil(event -> (chars[0] += ((OutputLine) event.payload()).text().length()) >= MAX_TEXT_CHARS);
        });
    }

    /** The job's steps (its statuses, with where each starts and ends in the output), from its events up to now. */
    Mono<ServerResponse> steps(ServerRequest request) {
        return log(request).flatMap(log -> {
            long lastSeq = log.lastSeq();
            Flux<JobEvent> events = lastSeq == 0 ? Flux.empty()
                    : log.follow(0).takeUntil(event -> event.seq() >= lastSeq).map(masker::mask);
            return JobSteps.of(events).flatMap(steps -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("steps", steps, "lastSeq", lastSeq, "lineCount", log.lineCount())));
        });
    }

    Mono<ServerResponse> size(ServerRequest request) {
        return log(request).flatMap(log -> ServerResponse.ok().bodyValue(Map.of("lines", log.lineCount())));
    }

    Mono<ServerResponse> download(ServerRequest request) {
        boolean stripAnsi = stripAnsi(request);
        return log(request).flatMap(log -> access.unmasked(request, log.jobId()).flatMap(unmasked -> {
            ServerResponse.BodyBuilder response = ServerResponse.ok()
                    .contentType(new MediaType(MediaType.TEXT_PLAIN, java.nio.charset.StandardCharsets.UTF_8))
                    .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                            .filename("spiderpig-job-" + log.jobId() + ".log").build().toString());
            // HEAD would otherwise render (and then drop) the whole log.
            return HttpMethod.HEAD.equals(request.method())
                    ? response.build()
                    : response.body(text(log.lines(1, log.lineCount() + 1), stripAnsi, unmasked), String.class);
        }));
    }

    private static boolean stripAnsi(ServerRequest request) {
        return RequestValues.queryChoice(request, "ansi", "keep", "keep", "strip").equals("strip");
    }

    private Mono<JobEventLog> log(ServerRequest request) {
        long id = RequestValues.pathId(request, "id", "job");
        return jobs.find(id)
                .switchIfEmpty(Mono.error(() -> Problem.notFound("There is no job " + id + ".")))
                .then(logs.open(id));
    }

    private ObjectNode lineNode(JobEvent event, boolean stripAnsi) {
        ObjectNode node = eventJson.logLineNode(event);
        if (stripAnsi) {
            node.put("text", PlainTextLog.stripAnsi(node.get("text").asString()));
        }
        return node;
    }

    /** text/plain when the client takes it and prefers it to JSON (or does not take JSON). */
    private static boolean wantsText(ServerRequest request) {
        List<MediaType> accepted = MediaTypeChecks.accepted(request);
        if (!MediaTypeChecks.accepts(accepted, MediaType.APPLICATION_JSON)) {
            return true;
        }
        if (!MediaTypeChecks.accepts(accepted, MediaType.TEXT_PLAIN)) {
            return false;
        }
        for (MediaType type : accepted) {
            if (type.getQualityValue() == 0 || type.isWildcardType()) {
                continue;
            }
            if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                return false;
            }
            if (type.isCompatibleWith(MediaType.TEXT_PLAIN)) {
                return true;
            }
        }
        return false;
    }
}
