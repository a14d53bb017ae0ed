package org.wikimedia.spiderpig.job;

import java.util.List;
import java.util.Map;
import org.wikimedia.spiderpig.job.InvalidParametersException.FieldError;

/** The validators a job type may name in {@code spiderpig.jobs.<type>.validator}. */
public final class ParameterValidators {

    public static final String CHANGE_IDS = "change-ids";
    public static final String TRAIN = "train";
    public static final String NONE = "none";

    private ParameterValidators() {
    }

    public static ParameterValidator named(String name) {
        return switch (name) {
            case CHANGE_IDS -> new ChangeIdsValidator();
            case TRAIN -> new TrainValidator();
            case NONE -> ParameterValidators::noParameters;
            default -> throw new IllegalArgumentException(
                    "unknown parameter validator '" + name + "' (known: " + CHANGE_IDS + ", " + TRAIN + ", " + NONE + ")");
        };
    }

    private static ParameterValidator.ValidParameters noParameters(Map<String, Object> parameters) {
        if (parameters != null && !parameters.isEmpty()) {
            throw new InvalidParametersException(parameters.keySet().stream()
                    .map(name -> new FieldError("parameters." + name, null, "is not a parameter of this job type (it takes none)"))
                    .toList());
        }
        return new ParameterValidator.ValidParameters(Map.of(), List.of(), "");
    }
}
