package org.wikimedia.spiderpig.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One job type, {@code spiderpig.jobs.<type>.*}. The command is an argument list (never a shell line);
 * a first element {@code @simulator} stands for the built-in simulator of this same program.
 */
public class JobTypeProperties {

    private List<String> command = new ArrayList<>();
    private Path workingDirectory;
    private Map<String, String> environment = new LinkedHashMap<>();
    private String concurrencyGroup;
    private Duration interruptGrace = Duration.ofSeconds(10);
    private Duration terminateGrace = Duration.ofSeconds(5);
    /** A name {@code job.ParameterValidators} knows; backports are the common case. */
    private String validator = "change-ids";
    private List<PromptPatternProperties> promptPatterns = new ArrayList<>();

    public List<String> getCommand() {
        return command;
    }

    public void setCommand(List<String> command) {
        this.command = command;
    }

    public Path getWorkingDirectory() {
        return workingDirectory;
    }

    public void setWorkingDirectory(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    public Map<String, String> getEnvironment() {
        return environment;
    }

    public void setEnvironment(Map<String, String> environment) {
        this.environment = environment;
    }

    public String getConcurrencyGroup() {
        return concurrencyGroup;
    }

    public void setConcurrencyGroup(String concurrencyGroup) {
        this.concurrencyGroup = concurrencyGroup;
    }

    public Duration getInterruptGrace() {
        return interruptGrace;
    }

    public void setInterruptGrace(Duration interruptGrace) {
        this.interruptGrace = interruptGrace;
    }

    public Duration getTerminateGrace() {
        return terminateGrace;
    }

    public void setTerminateGrace(Duration terminateGrace) {
        this.terminateGrace = terminateGrace;
    }

    public String getValidator() {
        return validator;
    }

    public void setValidator(String validator) {
        this.validator = validator;
    }

    public List<PromptPatternProperties> getPromptPatterns() {
        return promptPatterns;
    }

    public void setPromptPatterns(List<PromptPatternProperties> promptPatterns) {
        this.promptPatterns = promptPatterns;
    }

    /** A plain-text prompt pattern of this job type: a regex matched against an idle partial line. */
    public static class PromptPatternProperties {
        private String regex;
        private Map<String, String> choices = new LinkedHashMap<>();
        private String defaultChoice;

        public String getRegex() {
            return regex;
        }

        public void setRegex(String regex) {
            this.regex = regex;
        }

        public Map<String, String> getChoices() {
            return choices;
        }

        public void setChoices(Map<String, String> choices) {
            this.choices = choices;
        }

        public String getDefaultChoice() {
            return defaultChoice;
        }

        public void setDefaultChoice(String defaultChoice) {
            this.defaultChoice = defaultChoice;
        }
    }
}
