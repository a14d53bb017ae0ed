package org.wikimedia.spiderpig.startup;

import java.util.List;
import java.util.stream.Collectors;

/** The settings that keep the server from starting; {@link InvalidSettingsFailureAnalyzer} prints them. */
class InvalidSettingsException extends RuntimeException {

    private final List<SettingProblem> problems;

    InvalidSettingsException(List<SettingProblem> problems) {
        super(problems.stream().map(SettingProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    List<SettingProblem> problems() {
        return problems;
    }
}
