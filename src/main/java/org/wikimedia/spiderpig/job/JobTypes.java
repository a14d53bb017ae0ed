package org.wikimedia.spiderpig.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.wikimedia.spiderpig.config.JobTypeProperties;
import org.wikimedia.spiderpig.job.InvalidParametersException.FieldError;
import org.wikimedia.spiderpig.runner.PromptPattern;

/** The job types of {@code spiderpig.jobs.*}, checked once at startup so a bad setting stops the server early. */
public class JobTypes {

    private final Map<String, JobType> types = new LinkedHashMap<>();

    public JobTypes(Map<String, JobTypeProperties> configured) {
        configured.forEach((name, properties) -> types.put(name, toType(name, properties)));
    }

    public Optional<JobType> find(String name) {
        return Optional.ofNullable(name).map(types::get);
    }

    /** The type named in a request, or a 400 that lists the known ones. */
    public JobType require(String name) {
        return find(name).orElseThrow(() -> new InvalidParametersException(List.of(new FieldError("command", name,
                "is not a job type of this server (known: " + String.join(", ", types.keySet()) + ")"))));
    }

    private static JobType toType(String name, JobTypeProperties properties) {
        if (properties.getCommand() == null || properties.getCommand().isEmpty()) {
            throw new IllegalStateException("spiderpig.jobs." + name + ".command is empty: it needs the program to run");
        }
        List<PromptPattern> patterns = properties.getPromptPatterns().stream()
                .map(p -> new PromptPattern(Pattern.compile(p.getRegex()),
                        p.getChoices().isEmpty() ? "input_line" : "choices",
                        new LinkedHashMap<>(p.getChoices()), p.getDefaultChoice()))
                .toList();
        String group = properties.getConcurrencyGroup() == null ? name : properties.getConcurrencyGroup();
        return new JobType(name, List.copyOf(properties.getCommand()), properties.getWorkingDirectory(),
                Map.copyOf(properties.getEnvironment()), group, properties.getInterruptGrace(),
                properties.getTerminateGrace(), ParameterValidators.named(properties.getValidator()), patterns);
    }
}
