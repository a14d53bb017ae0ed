package org.wikimedia.spiderpig.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.store.StoreUnavailable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns every failure of every route, ours or the framework's, into one RFC 9457 problem format, so that
 * browsers, curl users and scripts handle a single shape of error.
 */
class ProblemHandler implements WebExceptionHandler, Ordered {

    /** Before Spring Boot's own error handler (order -1). */
    static final int ORDER = -2;

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    private final JsonMapper json;
    private final NotFoundPage notFoundPage;

    ProblemHandler(JsonMapper json, NotFoundPage notFoundPage) {
        this.json = json;
        this.notFoundPage = notFoundPage;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        Problem problem = toProblem(error);
        if (problem.status() >= 500) {
            LOG.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error);
        }
        response.setStatusCode(HttpStatus.valueOf(problem.status()));
        byte[] page = problem.status() == 404 ? notFoundPage.forRequest(exchange.getRequest()) : null;
        if (page != null) {
            response.getHeaders().setContentType(MediaType.TEXT_HTML);
            response.getHeaders().setCacheControl("no-cache");
            return response.writeWith(Mono.just(response.bufferFactory().wrap(page)));
        }
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (error instanceof MethodNotAllowedException notAllowed) {
            response.getHeaders().setAllow(notAllowed.getSupportedMethods());
        } else if (error instanceof MethodNotAllowedOnRoute notAllowed) {
            response.getHeaders().set(HttpHeaders.ALLOW, notAllowed.allowed());
        }
        if (problem.properties().get("retryAfter") instanceof Number seconds) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds.longValue()));
        }
        DataBuffer buffer = response.bufferFactory().wrap(body(problem, exchange.getRequest().getPath().value()));
        return response.writeWith(Mono.just(buffer));
    }

    /** The problem as JSON; {@code instance}, the request's path, is left out when null. */
    byte[] body(Problem problem, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", Problem.TYPE_BASE + problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        if (instance != null) {
            body.put("instance", instance);
        }
        body.putAll(problem.properties());
        return json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The problem for a response that the HTTP layer sent without a body (see {@link BareErrorResponses}),
     * given the server's limits on the request line and on the headers, in bytes.
     */
    static Problem bareError(int status, long maxRequestLine, long maxHeaders) {
        return switch (status) {
            case 414 -> new Problem(414, "uri-too-long", "URI too long",
                    "The request line (method, address and HTTP version) is longer than the server reads ("
                            + maxRequestLine + " bytes); send long values in a POST body.");
            case 431 -> new Problem(431, "headers-too-large", "Request headers too large",
                    "The request's headers are larger than the server reads (" + maxHeaders + " bytes in all).");
            case 400 -> Problem.malformed(
                    "The request is not valid HTTP/1.1, or its address is not a valid URI (check its %-escapes).");
            default -> toProblem(new ResponseStatusException(HttpStatusCode.valueOf(status)));
        };
    }

    static Problem toProblem(Throwable error) {
        if (error instanceof Problem problem) {
            return problem;
        }
        // Wrapped by Spring's database client on the way up.
        var unavailable = StoreUnavailable.in(error);
        if (unavailable.isPresent()) {
            return unavailable.get();
        }
        // The database's connection went away under a statement the store does not repeat (see StatementRepeat).
        if (causedBy(error, DataAccessResourceFailureException.class)
                || causedBy(error, TransientDataAccessResourceException.class)) {
            return new StoreUnavailable("The database's connection was lost during this request. Its change, if it"
                    + " makes one, was made whole or not at all: look before trying again.", error);
        }
        if (causedBy(error, DataBufferLimitException.class)) {
            return new Problem(413, "payload-too-large", "Request too large",
                    "The request body is larger than the server accepts (64 KiB).");
        }
        if (error instanceof MethodNotAllowedOnRoute notAllowed) {
            return new Problem(405, "method-not-allowed", "Method not allowed", notAllowed.getMessage(),
                    Map.of("allowed", notAllowed.allowed()));
        }
        if (error instanceof MethodNotAllowedException notAllowed) {
            return new Problem(405, "method-not-allowed", "Method not allowed",
                    notAllowed.getHttpMethod() + " is not allowed here.");
        }
        if (error instanceof UnsupportedMediaTypeStatusException unsupported) {
            return new Problem(415, "unsupported-media-type", "Unsupported media type",
                    "Send the body as application/json (got " + unsupported.getContentType() + ").");
        }
        if (error instanceof NotAcceptableStatusException) {
            return new Problem(406, "not-acceptable", "Not acceptable",
                    "This resource cannot be represented in the media type asked for in Accept.");
        }
        // Spring's annotated mappings (Actuator's, springdoc's) parse Accept before the route table does,
        // and throw the core type (e.g. over 50 ranges) rather than the HTTP one.
        if (causedBy(error, InvalidMediaTypeException.class) || causedBy(error, InvalidMimeTypeException.class)) {
            return Problem.malformed("A media type header (Content-Type or Accept) is not valid: " + error.getMessage());
        }
        if (error instanceof ServerWebInputException input) {
            return Problem.malformed(describeInput(input));
        }
        if (error instanceof ResponseStatusException status) {
            int code = status.getStatusCode().value();
            if (code == 404) {
                return Problem.notFound("There is nothing at this address.");
            }
            return new Problem(code, code >= 500 ? "internal-error" : "request-failed",
                    HttpStatus.valueOf(code).getReasonPhrase(), String.valueOf(status.getReason()));
        }
        return new Problem(500, "internal-error", "Internal error",
                "SpiderPig failed to handle this request; the server log has the details.");
    }

    private static String describeInput(ServerWebInputException input) {
        Throwable cause = input.getCause();
        while (cause != null && cause.getCause() != null && cause instanceof DecodingException) {
            cause = cause.getCause();
        }
        String reason = cause == null ? input.getReason() : cause.getMessage();
        if (reason == null) {
            return "The request could not be read.";
        }
        // Jackson appends the source location on new lines; the first line says what is wrong.
        String firstLine = reason.lines().findFirst().orElse(reason);
        return "The request body is not valid JSON of the expected shape: " + firstLine;
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** A path the API knows, asked for with a method it does not take. */
    static class MethodNotAllowedOnRoute extends RuntimeException {
        private final String allowed;

        MethodNotAllowedOnRoute(String method, String allowed) {
            super(method + " is not allowed here; this address takes " + allowed + ".");
            this.allowed = allowed;
        }

        String allowed() {
            return allowed;
        }
    }
}
