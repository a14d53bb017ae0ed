package org.wikimedia.spiderpig.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.wikimedia.spiderpig.job.InvalidParametersException.FieldError;
import org.wikimedia.spiderpig.train.TrainGroups;
import org.wikimedia.spiderpig.train.TrainVersion;

/**
 * {@code {"group", "version", "oldVersion", "excludedWikis": [...]}}: a train promotion, which becomes
 * {@code --yes --train --old-version OLD [--exclude-wikis a,b] -- GROUP VERSION} after the configured
 * {@code scap deploy-promote}. Parameters are kept as lists like every job's (so a one-element list is taken
 * for a value); excluded wikis are folded to their first mention.
 */
public class TrainValidator implements ParameterValidator {

    static final String GROUP = "group";
    static final String VERSION = "version";
    static final String OLD_VERSION = "oldVersion";
    static final String EXCLUDED_WIKIS = "excludedWikis";
    private static final Set<String> FIELDS = Set.of(GROUP, VERSION, OLD_VERSION, EXCLUDED_WIKIS);
    private static final Pattern WIKI = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Override
    public ValidParameters validate(Map<String, Object> parameters) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> given = parameters == null ? Map.of() : parameters;
        for (String name : given.keySet()) {
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError("parameters." + name, null,
                        "is not a parameter of this job type (only group, version, oldVersion, excludedWikis)"));
            }
        }
        String group = text(given, GROUP, errors);
        if (group != null && !TrainGroups.promotable().contains(group)) {
            errors.add(new FieldError("parameters." + GROUP, group,
                    "is not a train group (one of " + String.join(", ", TrainGroups.promotable()) + ")"));
        }
        String version = version(given, VERSION, errors);
        String oldVersion = version(given, OLD_VERSION, errors);
        if (version != null && version.equals(oldVersion)) {
            errors.add(new FieldError("parameters." + OLD_VERSION, oldVersion, "is the version being promoted; name the one it replaces"));
        }
        List<String> excluded = excludedWikis(given.get(EXCLUDED_WIKIS), errors);
        if (!errors.isEmpty()) {
            throw new InvalidParametersException(errors);
        }
        Map<String, List<String>> normalised = new LinkedHashMap<>();
        normalised.put(GROUP, List.of(group));
        normalised.put(VERSION, List.of(version));
        normalised.put(OLD_VERSION, List.of(oldVersion));
        normalised.put(EXCLUDED_WIKIS, excluded);
        List<String> arguments = new ArrayList<>(List.of("--yes", "--train", "--old-version", oldVersion));
        if (!excluded.isEmpty()) {
            arguments.add("--exclude-wikis");
            arguments.add(String.join(",", excluded));
        }
        arguments.addAll(List.of("--", group, version));
        String summary = group + " to " + version + (excluded.isEmpty() ? "" : " (except " + String.join(", ", excluded) + ")");
        return new ValidParameters(normalised, arguments, summary);
    }

    private static String text(Map<String, Object> given, String field, List<FieldError> errors) {
        Object value = given.get(field);
        // as stored (and echoed in the job), each is a list of one
        if (value instanceof List<?> list && list.size() == 1) {
            value = list.get(0);
        }
        if (value instanceof String text && !text.isBlank()) {
            return text.strip();
        }
        errors.add(new FieldError("parameters." + field, value, value == null ? "is missing" : "must be a non-empty string"));
        return null;
    }

    private static String version(Map<String, Object> given, String field, List<FieldError> errors) {
        String version = text(given, field, errors);
        if (version != null && !TrainVersion.isValid(version)) {
            errors.add(new FieldError("parameters." + field, version, "is not a train branch name such as 1.45.0-wmf.4"));
            return null;
        }
        return version;
    }

    private static List<String> excludedWikis(Object raw, List<FieldError> errors) {
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> values)) {
            errors.add(new FieldError("parameters." + EXCLUDED_WIKIS, null, "must be a list of wiki names"));
            return List.of();
        }
        Set<String> wikis = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (value instanceof String name && WIKI.matcher(name.strip()).matches()) {
                wikis.add(name.strip());
            } else {
                errors.add(new FieldError("parameters." + EXCLUDED_WIKIS + "[" + i + "]", value,
                        "is not a wiki name (letters, digits, _ and -)"));
            }
        }
        return List.copyOf(wikis);
    }
}
