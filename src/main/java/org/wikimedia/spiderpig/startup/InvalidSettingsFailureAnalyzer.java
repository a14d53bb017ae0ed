package org.wikimedia.spiderpig.startup;

import java.util.stream.Collectors;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints bad settings as Spring Boot prints a failed start: what is wrong, then what to do, without a stack trace. */
class InvalidSettingsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingsException cause) {
        String description = cause.problems().stream()
                .map(problem -> "  " + problem.key() + ": " + problem.problem() + ".\n    Fix: " + problem.fix() + ".")
                .collect(Collectors.joining("\n", "SpiderPig's settings have " + cause.problems().size()
                        + (cause.problems().size() == 1 ? " problem:\n" : " problems:\n"), ""));
        return new FailureAnalysis(description,
                "Correct the settings above (docs/configuration.md describes each one) and start SpiderPig again.", cause);
    }
}
