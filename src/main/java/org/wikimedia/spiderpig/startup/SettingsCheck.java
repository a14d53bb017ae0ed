package org.wikimedia.spiderpig.startup;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.wikimedia.spiderpig.config.JobTypeProperties;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.job.ParameterValidators;
import org.wikimedia.spiderpig.runner.Executables;
import org.wikimedia.spiderpig.security.AllowedNetworks;
import org.wikimedia.spiderpig.simulator.SelfCommand;
import org.wikimedia.spiderpig.simulator.Simulator;

/**
 * Every {@code spiderpig.*} setting, checked before anything uses one, so that a mistake stops the
 * start with the key and the fix instead of failing a job hours later. Creates the data directory if
 * it is missing (as the server would).
 */
final class SettingsCheck {

    private final List<SettingProblem> problems = new ArrayList<>();
    private final String searchPath;

    private SettingsCheck(String searchPath) {
        this.searchPath = searchPath;
    }

    /** {@code searchPath}: the server's PATH, on which jobs' bare command names are found. */
    static List<SettingProblem> check(SpiderPigProperties settings, String searchPath) {
        SettingsCheck check = new SettingsCheck(searchPath);
        check.dataDirectory(settings.getDataDir());
        settings.getJobs().forEach(check::jobType);
        check.positive("spiderpig.runner.prompt-idle", settings.getRunner().getPromptIdle());
        if (settings.getRunner().getMaxLineBytes() < 80) {
            check.add("spiderpig.runner.max-line-bytes", "is " + settings.getRunner().getMaxLineBytes()
                    + ", too small for a line of output", "set at least 80 (the default is 65536)");
        }
        check.simulatorPace(settings.getSimulator().getPace());
        check.positive("spiderpig.streams.heartbeat", settings.getStreams().getHeartbeat());
        check.positive("spiderpig.streams.job-update-interval", settings.getStreams().getJobUpdateInterval());
        check.notNegative("spiderpig.streams.fan-out-max-interval", settings.getStreams().getFanOutMaxInterval());
        if (settings.getStreams().getFanOutWrites() <= 0) {
            check.add("spiderpig.streams.fan-out-writes", "is " + settings.getStreams().getFanOutWrites()
                    + ", not a number of writes a second", "set a positive number (the default is 40000)");
        }
        List<String> masks = settings.getMasking().getPatterns();
        for (int i = 0; i < masks.size(); i++) {
            check.regex("spiderpig.masking.patterns[" + i + "]", masks.get(i));
        }
        if (settings.getUsers().getLocalUser() == null || settings.getUsers().getLocalUser().isBlank()) {
            check.add("spiderpig.users.local-user", "is empty", "name the user requests act as, or leave it unset for the OS user");
        }
        List<String> networks = settings.getManagement().getAllowedNetworks();
        for (int i = 0; i < networks.size(); i++) {
            try {
                AllowedNetworks.of(List.of(networks.get(i)));
            } catch (IllegalArgumentException e) {
                check.add("spiderpig.management.allowed-networks[" + i + "]", e.getMessage(),
                        "give an address or a network such as 10.64.0.0/16");
            }
        }
        if (settings.getHealth().getMinFreeSpace() == null || settings.getHealth().getMinFreeSpace().isNegative()) {
            check.add("spiderpig.health.min-free-space", "is negative", "give a size such as 500MB, or 0 to never report a full disk");
        }
        check.positive("spiderpig.train.timeout", settings.getTrain().getTimeout());
        check.positive("spiderpig.instance.heartbeat", settings.getInstance().getHeartbeat());
        check.positive("spiderpig.instance.command-poll", settings.getInstance().getCommandPoll());
        check.notNegative("spiderpig.database.outage-retry", settings.getDatabase().getOutageRetry());
        if (settings.getInstance().getLeaseTtl().compareTo(settings.getInstance().getHeartbeat().multipliedBy(2)) < 0) {
            check.add("spiderpig.instance.lease-ttl", "is " + settings.getInstance().getLeaseTtl()
                    + ", less than two heartbeats", "give at least twice spiderpig.instance.heartbeat, such as 30s");
        }
        check.httpUrl("spiderpig.train.blockers-url", settings.getTrain().getBlockersUrl());
        return List.copyOf(check.problems);
    }

    /** Unset is fine (a simulated service answers); set, it must be an absolute http(s) address. */
    private void httpUrl(String key, String url) {
        if (url == null || url.isBlank()) {
            return;
        }
        try {
            URI uri = new URI(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        add(key, "is \"" + url + "\", not an http or https address", "give the full address, such as"
                + " https://train-blockers.toolforge.org/api.php, or leave it unset for the simulated one");
    }

    private void dataDirectory(Path configured) {
        String key = "spiderpig.data-dir";
        if (configured == null) {
            add(key, "is empty", "give the directory for the database and job logs");
            return;
        }
        Path directory = configured.toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
            Files.delete(Files.createTempFile(directory, ".settings-check-", ".tmp"));
        } catch (IOException | RuntimeException e) {
            add(key, directory + " is not a writable directory (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    "create it and give the user running SpiderPig write access to it, or choose another directory");
        }
    }

    private void jobType(String name, JobTypeProperties type) {
        String prefix = "spiderpig.jobs." + name + ".";
        Path workingDirectory = type.getWorkingDirectory();
        if (workingDirectory != null && !Files.isDirectory(workingDirectory)) {
            add(prefix + "working-directory", workingDirectory + " is not a directory", "create it, or fix the path");
            workingDirectory = null;
        }
        command(prefix + "command", type.getCommand(), workingDirectory, type.getEnvironment());
        try {
            ParameterValidators.named(type.getValidator());
        } catch (RuntimeException e) {
            add(prefix + "validator", "is " + type.getValidator() + ", " + e.getMessage(),
                    "use " + ParameterValidators.CHANGE_IDS + ", " + ParameterValidators.TRAIN + " or " + ParameterValidators.NONE);
        }
        notNegative(prefix + "interrupt-grace", type.getInterruptGrace());
        notNegative(prefix + "terminate-grace", type.getTerminateGrace());
        for (int i = 0; i < type.getPromptPatterns().size(); i++) {
            var pattern = type.getPromptPatterns().get(i);
            String patternKey = prefix + "prompt-patterns[" + i + "]";
            regex(patternKey + ".regex", pattern.getRegex());
            if (pattern.getDefaultChoice() != null && !pattern.getChoices().isEmpty()
                    && !pattern.getChoices().containsValue(pattern.getDefaultChoice())) {
                add(patternKey + ".default-choice", "\"" + pattern.getDefaultChoice() + "\" is not one of the choices' keys "
                        + pattern.getChoices().values(), "name one of the keys, or leave it unset");
            }
        }
    }

    private void command(String key, List<String> command, Path workingDirectory, Map<String, String> environment) {
        if (command == null || command.isEmpty() || command.get(0) == null || command.get(0).isBlank()) {
            add(key, "is empty", "give the program to run and its first arguments, such as scap,backport");
            return;
        }
        if (command.get(0).equals(SelfCommand.TOKEN)) {
            return;
        }
        String path = environment.getOrDefault("PATH", searchPath);
        try {
            Executables.resolve(command.get(0), workingDirectory, path);
        } catch (IllegalArgumentException e) {
            add(key, e.getMessage(), "install the program, give its absolute path, or start the server with a PATH"
                    + " that has it (" + SelfCommand.TOKEN + " runs the built-in simulator)");
        }
    }

    private void simulatorPace(String pace) {
        try {
            Simulator.checkPace(pace);
        } catch (IllegalArgumentException e) {
            add("spiderpig.simulator.pace", e.getMessage(), "use realistic, fast, or a multiplier such as 0.2");
        }
    }

    private void regex(String key, String regex) {
        if (regex == null || regex.isEmpty()) {
            add(key, "is empty", "give a regular expression, or remove the entry");
            return;
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            add(key, "is not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex()
                    + " of " + regex, "correct the expression (Java syntax; in YAML, quote it)");
        }
    }

    private void positive(String key, Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            add(key, "is " + duration + ", but must be longer than zero", "give a positive duration such as 250ms or 15s");
        }
    }

    private void notNegative(String key, Duration duration) {
        if (duration == null || duration.isNegative()) {
            add(key, "is " + duration + ", a negative duration", "give a duration of zero or more, such as 10s");
        }
    }

    private void add(String key, String problem, String fix) {
        problems.add(new SettingProblem(key, problem, fix));
    }
}
