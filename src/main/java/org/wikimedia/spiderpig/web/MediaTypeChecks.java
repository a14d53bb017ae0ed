package org.wikimedia.spiderpig.web;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.wikimedia.spiderpig.problem.Problem;

/**
 * The media-type headers of a request, checked before its route's handler runs: a {@code Content-Type} or
 * {@code Accept} that does not parse is a 400, and an {@code Accept} that takes none of the types the
 * route answers in is a 406. Handlers then only ever see headers they can read.
 */
final class MediaTypeChecks {

    private MediaTypeChecks() {
    }

    static HandlerFilterFunction<ServerResponse, ServerResponse> forEndpoint(Endpoint endpoint) {
        return (request, next) -> {
            contentType(request);
            requireAcceptable(request, endpoint.produces());
            return next.handle(request);
        };
    }

    /** The request's Content-Type, or null without one; a header that is not a media type is a 400. */
    static MediaType contentType(ServerRequest request) {
        String raw = request.headers().firstHeader(HttpHeaders.CONTENT_TYPE);
        if (raw == null) {
            return null;
        }
        try {
            return MediaType.parseMediaType(raw);
        } catch (IllegalArgumentException e) {
            throw Problem.malformed("The Content-Type header \"" + raw + "\" is not a valid media type" + reason(e) + ".");
        }
    }

    /** The request's Accept ranges, most specific first; none (no header) takes anything. */
    static List<MediaType> accepted(ServerRequest request) {
        List<String> raw = request.headers().header(HttpHeaders.ACCEPT);
        try {
            List<MediaType> ranges = new java.util.ArrayList<>(MediaType.parseMediaTypes(raw));
            MimeTypeUtils.sortBySpecificity(ranges);
            return ranges;
        } catch (IllegalArgumentException e) {
            // Spring refuses over 50 ranges as "too many" too.
            throw Problem.malformed("The Accept header \"" + String.join(", ", raw) + "\" is not a list of media types"
                    + reason(e) + ".");
        }
    }

    /**
     * Whether the Accept header takes {@code type}: the most specific range that matches it decides (RFC 9110,
     * 12.5.1), so that {@code application/json;q=0, *}{@code /*} refuses JSON.
     */
    static boolean accepts(List<MediaType> accepted, MediaType type) {
        if (accepted.isEmpty()) {
            return true;
        }
        return accepted.stream()
                .filter(range -> range.includes(type))
                .max(Comparator.comparingInt(MediaTypeChecks::specificity))
                .map(range -> range.getQualityValue() > 0)
                .orElse(false);
    }

    /** {@code *}{@code /*} < {@code text/*} < {@code text/plain} < {@code text/plain;format=x}. */
    private static int specificity(MediaType range) {
        int parameters = (int) range.getParameters().keySet().stream().filter(name -> !name.equals("q")).count();
        return (range.isWildcardType() ? 0 : 1000) + (range.isWildcardSubtype() ? 0 : 1000) + parameters;
    }

    private static void requireAcceptable(ServerRequest request, List<MediaType> produces) {
        List<MediaType> accepted = accepted(request);
        if (produces.stream().noneMatch(type -> accepts(accepted, type))) {
            String answers = produces.stream().map(MediaType::toString).collect(Collectors.joining(", "));
            throw new Problem(406, "not-acceptable", "Not acceptable",
                    "This address answers " + answers + "; the Accept header takes none of them.",
                    Map.of("acceptable", produces.stream().map(MediaType::toString).toList()));
        }
    }

    private static String reason(IllegalArgumentException e) {
        String message = e.getMessage();
        int colon = message == null ? -1 : message.lastIndexOf("\": ");
        return colon < 0 ? "" : " (" + message.substring(colon + 3) + ")";
    }
}
