package org.wikimedia.spiderpig.web;

import java.util.Optional;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.wikimedia.spiderpig.problem.Problem;

/** Reads ids and numbers from paths, queries and headers, answering a clear 4xx when they are not numbers. */
final class RequestValues {

    private RequestValues() {
    }

    /** A path id; a non-number cannot name anything, so it is a 404 like an unknown id. */
    static long pathId(ServerRequest request, String variable, String what) {
        String raw = request.pathVariable(variable);
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // fall through to the 404
        }
        throw Problem.notFound("There is no " + what + " " + raw + ".");
    }

    static Optional<Long> queryLong(ServerRequest request, String name, long min, long max) {
        return request.queryParam(name).map(raw -> parse(raw, "Query parameter '" + name + "'", min, max));
    }

    static Optional<Long> headerLong(ServerRequest request, String name, long min, long max) {
        return Optional.ofNullable(request.headers().firstHeader(name))
                .map(raw -> parse(raw.trim(), "Header " + name, min, max));
    }

    private static long parse(String raw, String what, long min, long max) {
        try {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw Problem.malformed(what + " must be a whole number from " + min + " to " + max + ", not \"" + raw + "\".");
    }
}
