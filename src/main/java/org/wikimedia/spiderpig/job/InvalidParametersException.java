package org.wikimedia.spiderpig.job;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.wikimedia.spiderpig.problem.Problem;

/** Every invalid value of a job's parameters, with why. */
public class InvalidParametersException extends Problem {

    public InvalidParametersException(List<FieldError> errors) {
        super(400, "invalid-parameters", "Invalid parameters", describe(errors), Map.of("errors", errors));
    }

    public record FieldError(String field, Object value, String reason) {
    }

    private static String describe(List<FieldError> errors) {
        String each = errors.stream()
                .map(e -> (e.value() == null ? e.field() : "\"" + e.value() + "\"") + " " + e.reason())
                .collect(Collectors.joining("; "));
        return (errors.size() == 1 ? "1 parameter is" : errors.size() + " parameters are") + " not valid: " + each;
    }
}
