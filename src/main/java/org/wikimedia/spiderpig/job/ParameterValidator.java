package org.wikimedia.spiderpig.job;

import java.util.List;
import java.util.Map;

/**
 * Checks and normalises a job's parameters as they arrive in {@code POST /api/jobs}, and turns them into
 * the arguments appended to the job type's command. Throws {@link InvalidParametersException} listing
 * every bad value.
 */
public interface ParameterValidator {

    ValidParameters validate(Map<String, Object> parameters);

    /** Normalised parameters, the command-line arguments they become, and how a person would name them. */
    record ValidParameters(Map<String, List<String>> parameters, List<String> arguments, String summary) {
    }
}
