package org.wikimedia.spiderpig.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.wikimedia.spiderpig.runner.PromptPattern;

/** A configured kind of job ({@code backport}, …): what to run and how. */
public record JobType(
        String name,
        List<String> command,
        Path workingDirectory,
        Map<String, String> environment,
        String concurrencyGroup,
        Duration interruptGrace,
        Duration terminateGrace,
        ParameterValidator validator,
        List<PromptPattern> promptPatterns) {

    /** How a person would name a job of this type with these parameters: "Backport 12345, 67890". */
    public String describe(String parametersSummary) {
        String title = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        return parametersSummary.isEmpty() ? title : title + " " + parametersSummary;
    }
}
