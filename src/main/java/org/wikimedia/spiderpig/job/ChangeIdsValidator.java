package org.wikimedia.spiderpig.job;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wikimedia.spiderpig.job.InvalidParametersException.FieldError;

/**
 * {@code {"changeIds": [...]}}: Gerrit change numbers or change URLs, normalised to numbers, 1 to 20,
 * duplicates folded in their first position.
 */
public class ChangeIdsValidator implements ParameterValidator {

    public static final int MAX_CHANGES = 20;
    static final String FIELD = "changeIds";

    private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,8}");
    private static final Pattern URL = Pattern.compile("https?://[^/\\s]+(/\\S*)?");
    // Where Gerrit URLs put the change number: .../project/+/12345, /c/12345, /#/c/12345, /r/12345.
    private static final List<Pattern> CHANGE_IN_PATH = List.of(
            Pattern.compile("/\\+/([1-9][0-9]{0,8})(?:[/?#]|$)"),
            Pattern.compile("(?:^|/)(?:#/)?c/([1-9][0-9]{0,8})(?:[/?#]|$)"),
            Pattern.compile("^/(?:r/)?([1-9][0-9]{0,8})/?(?:[?#].*)?$"));

    @Override
    public ValidParameters validate(Map<String, Object> parameters) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> given = parameters == null ? Map.of() : parameters;
        for (String name : given.keySet()) {
            if (!FIELD.equals(name)) {
                errors.add(new FieldError("parameters." + name, null, "is not a parameter of this job type (only changeIds)"));
            }
        }
        Object raw = given.get(FIELD);
        if (!(raw instanceof List<?> values)) {
            errors.add(new FieldError("parameters." + FIELD, null, "must be a list of Gerrit change numbers or change URLs"));
            throw new InvalidParametersException(errors);
        }
        Set<String> numbers = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            String field = "parameters." + FIELD + "[" + i + "]";
            Optional<String> number = value instanceof String text ? normalise(text)
                    : value instanceof Number n && n.longValue() == n.doubleValue() ? normalise(String.valueOf(n.longValue()))
                    : Optional.empty();
            number.ifPresentOrElse(numbers::add,
                    () -> errors.add(new FieldError(field, value, "is not a Gerrit change number or change URL")));
        }
        if (values.isEmpty()) {
            errors.add(new FieldError("parameters." + FIELD, null, "needs at least one change"));
        } else if (numbers.size() > MAX_CHANGES) {
            errors.add(new FieldError("parameters." + FIELD, null,
                    "has " + numbers.size() + " different changes; at most " + MAX_CHANGES + " fit in one backport"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidParametersException(errors);
        }
        List<String> ids = List.copyOf(numbers);
        return new ValidParameters(Map.of(FIELD, ids), ids, String.join(", ", ids));
    }

    /** The change number a person means by {@code text}, if it is one. */
    public static Optional<String> normalise(String text) {
        String trimmed = text.trim();
        if (NUMBER.matcher(trimmed).matches()) {
            return Optional.of(trimmed);
        }
        Matcher url = URL.matcher(trimmed);
        if (!url.matches() || url.group(1) == null) {
            return Optional.empty();
        }
        String path = url.group(1);
        for (Pattern pattern : CHANGE_IN_PATH) {
            Matcher change = pattern.matcher(path);
            if (change.find()) {
                return Optional.of(change.group(1));
            }
        }
        return Optional.empty();
    }
}
