package org.wikimedia.spiderpig.web;

import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.wikimedia.spiderpig.problem.Problem;

/** Reads ids and numbers from paths, queries and headers, answering a clear 4xx when they are not numbers. */
final class RequestValues {

    /**
     * An id as the server writes it. Java's number parsing also takes a sign, leading zeros and non-ASCII
     * digits ({@code +1}, {@code 01}, a full-width {@code １}), which would give one job many addresses.
     */
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,18}");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,19}");

    private RequestValues() {
    }

    /** A path id; anything else cannot name anything, so it is a 404 like an unknown id. */
    static long pathId(ServerRequest request, String variable, String what) {
        String raw = request.pathVariable(variable);
        if (ID.matcher(raw).matches()) {
            try {
                return Long.parseLong(raw);
            } catch (NumberFormatException e) {
                // over Long.MAX_VALUE: fall through to the 404
            }
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

    /** A query parameter that takes one of a few words; absent is {@code fallback}. */
    static String queryChoice(ServerRequest request, String name, String fallback, String... choices) {
        String value = request.queryParam(name).orElse(fallback);
        for (String choice : choices) {
            if (choice.equals(value)) {
                return choice;
            }
        }
        throw Problem.malformed("Query parameter '" + name + "' must be one of " + String.join(", ", choices)
                + ", not \"" + value + "\".");
    }

    private static long parse(String raw, String what, long min, long max) {
        if (NUMBER.matcher(raw).matches()) {
            try {
                long value = Long.parseLong(raw);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // over Long.MAX_VALUE: fall through
            }
        }
        throw Problem.malformed(what + " must be a whole number from " + min + " to " + max + ", not \"" + raw + "\".");
    }
}
