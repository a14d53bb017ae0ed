package org.wikimedia.spiderpig.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.wikimedia.spiderpig.problem.Problem;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Request bodies: one JSON object, UTF-8, read strictly. The body's size is capped by the codecs' limit
 * (a 413 in {@link ProblemHandler}); everything else that is wrong with it is a 400 or 415 problem here.
 */
final class JsonBodies {

    /**
     * Strict where Jackson is lenient by default: a number or boolean where a string belongs is a mistake
     * (not "42"), and a member given twice is ambiguous (not "the last one wins").
     */
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private JsonBodies() {
    }

    static <T> Mono<T> read(ServerRequest request, Class<T> type) {
        requireJson(MediaTypeChecks.contentType(request));
        return request.bodyToMono(byte[].class)
                .filter(bytes -> bytes.length > 0)
                .switchIfEmpty(Mono.error(() -> Problem.malformed("The request needs a JSON body.")))
                .handle((bytes, sink) -> {
                    T value;
                    try {
                        requireUtf8(bytes);
                        value = STRICT.readValue(bytes, type);
                    } catch (JacksonException e) {
                        sink.error(Problem.malformed(describe(e)));
                        return;
                    } catch (Problem e) {
                        sink.error(e);
                        return;
                    }
                    if (value == null) {
                        sink.error(Problem.malformed("The request needs a JSON body."));
                    } else {
                        sink.next(value);
                    }
                });
    }

    /** Jackson lets some malformed UTF-8 through (overlong forms such as C0 AF); a strict decoder does not. */
    private static void requireUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw Problem.malformed("The request body is not valid UTF-8.");
        }
    }

    /** JSON, and (as RFC 8259 requires between systems) UTF-8. */
    private static void requireJson(MediaType contentType) {
        if (contentType == null || !isJson(contentType)) {
            throw new Problem(415, "unsupported-media-type", "Unsupported media type",
                    "Send the body as application/json (got " + (contentType == null ? "no Content-Type" : contentType) + ").");
        }
        Charset charset = contentType.getCharset();
        if (charset != null && !charset.equals(StandardCharsets.UTF_8) && !charset.equals(StandardCharsets.US_ASCII)) {
            throw new Problem(415, "unsupported-media-type", "Unsupported media type",
                    "Send JSON as UTF-8 (got charset " + charset.name() + ").");
        }
    }

    private static boolean isJson(MediaType type) {
        return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
                || ("application".equals(type.getType()) && "json".equals(type.getSubtypeSuffix()));
    }

    private static String describe(JacksonException e) {
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null && !mismatch.getPath().isEmpty()) {
            return "The request body's " + path(mismatch) + " must be " + jsonKind(mismatch.getTargetType()) + ".";
        }
        String reason = e.getOriginalMessage();
        // Jackson may append the source location on new lines; the first line says what is wrong.
        String firstLine = reason == null ? "" : reason.lines().findFirst().orElse(reason);
        return "The request body is not valid JSON of the expected shape: " + firstLine;
    }

    private static String path(DatabindException e) {
        return e.getPath().stream()
                .map(reference -> reference.getPropertyName() != null
                        ? "\"" + reference.getPropertyName() + "\""
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".", "", ""));
    }

    private static String jsonKind(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a JSON string";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a JSON object";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a JSON number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "a JSON object";
    }
}
