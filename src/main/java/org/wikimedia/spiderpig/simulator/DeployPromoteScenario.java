package org.wikimedia.spiderpig.simulator;

import static org.wikimedia.spiderpig.simulator.ScapOutput.BOLD;
import static org.wikimedia.spiderpig.simulator.ScapOutput.CYAN;
import static org.wikimedia.spiderpig.simulator.ScapOutput.RED;
import static org.wikimedia.spiderpig.simulator.ScapOutput.RESET;
import static org.wikimedia.spiderpig.simulator.ScapOutput.YELLOW;
import static org.wikimedia.spiderpig.simulator.ScapOutput.YES_NO;
import static org.wikimedia.spiderpig.simulator.ScapOutput.timestamp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.wikimedia.spiderpig.train.StagingDirectory;
import org.wikimedia.spiderpig.train.TrainGroups;
import org.wikimedia.spiderpig.train.TrainVersion;
import tools.jackson.databind.json.JsonMapper;

/**
 * A pretend {@code scap deploy-promote --yes --train --old-version OLD [--exclude-wikis a,b] -- GROUP VERSION}:
 * it checks the versions, commits the new wikiversions.json to mediawiki-config, asks whether to sync it,
 * syncs it to the hosts and checks the error rate. With a staging directory
 * ({@value #STAGING_VARIABLE}), a promotion that finishes moves the group's wikis there, so the train's
 * status changes as it would on a deployment host; a promotion that does not finish changes nothing.
 */
final class DeployPromoteScenario {

    static final String STAGING_VARIABLE = "SPIDERPIG_SIMULATOR_STAGING_DIR";

    private final Console console;
    private final Pace pace;
    private final ScapOutput scap;
    private final String stagingDirectory;

    DeployPromoteScenario(Console console, Pace pace, Map<String, String> environment) {
        this.console = console;
        this.pace = pace;
        this.scap = new ScapOutput(console, pace);
        this.stagingDirectory = environment.get(STAGING_VARIABLE);
    }

    private record Promotion(String group, String version, String oldVersion, Set<String> excluded) {
        String what() {
            return group + " wikis to " + version;
        }
    }

    int run(List<String> arguments) {
        Promotion promotion;
        try {
            promotion = parse(arguments);
        } catch (IllegalArgumentException e) {
            console.line(RED + "deploy-promote: " + e.getMessage() + RESET);
            console.line("usage: deploy-promote --yes --train --old-version OLD [--exclude-wikis a,b] -- GROUP VERSION");
            return BackportScenario.EXIT_USAGE;
        }
        console.status("Checking versions");
        scap.info("Checking that php-" + promotion.version() + " is checked out in /srv/mediawiki-staging");
        pace.pause(1);
        scap.info("Train: " + promotion.oldVersion() + " -> " + promotion.version() + " for " + promotion.group()
                + (promotion.excluded().isEmpty() ? "" : ", except " + String.join(", ", promotion.excluded())));
        StagingDirectory staging = stagingDirectory == null || stagingDirectory.isBlank() ? null
                : new StagingDirectory(Path.of(stagingDirectory), JsonMapper.builder().build());
        if (staging != null && !checkStaging(staging, promotion)) {
            console.status("Promotion failed");
            return BackportScenario.EXIT_FAILED;
        }
        console.status("Committing wikiversions.json");
        scap.info("Updating wikiversions.json: " + promotion.what());
        pace.pause(1);
        String commit = Integer.toHexString((promotion.group() + promotion.version()).hashCode() & 0xfffffff);
        console.line("[master " + commit + "] " + promotion.what());
        console.line(" 1 file changed, 12 insertions(+), 12 deletions(-)");
        scap.info("Pushed to Gerrit: https://gerrit.wikimedia.org/r/c/operations/mediawiki-config/+/"
                + (1100000 + Math.abs(commit.hashCode() % 99999)));
        console.line(BOLD + "Promotion of " + promotion.what() + " is committed and ready to go live." + RESET);
        console.status("Waiting for confirmation to sync");
        String go = console.choose("Sync wikiversions.json to production (" + promotion.what() + ")?", YES_NO, "n");
        console.status(null);
        if (!"y".equals(go)) {
            console.line(YELLOW + timestamp() + "Promotion cancelled" + (go == null ? ": nobody answered" : "")
                    + ". wikiversions.json is unchanged on the hosts; the commit was reverted." + RESET);
            return BackportScenario.EXIT_FAILED;
        }
        scap.info("Started scap sync-wikiversions: " + promotion.what());
        console.status("Syncing wikiversions");
        scap.hostStep("sync-wikiversions", "sync-wikiversions", 12, 6);
        console.status("Checking the error rate");
        scap.step("check-error-rate", "Logstash checker counted 3 error(s) on " + promotion.group() + " in the last 20 seconds. OK.", 5);
        if (staging != null) {
            int moved = staging.promote(promotion.group(), promotion.version(), promotion.excluded());
            scap.info(moved + " wiki(s) now on php-" + promotion.version());
        }
        console.status(null);
        console.line(CYAN + "   \\_(ツ)_/  " + promotion.what() + " done" + RESET);
        return BackportScenario.EXIT_OK;
    }

    private boolean checkStaging(StagingDirectory staging, Promotion promotion) {
        try {
            int wikis = staging.wikisOf(promotion.group()).size();
            scap.info(promotion.group() + " has " + wikis + " wiki(s)");
            return true;
        } catch (StagingDirectory.StagingException e) {
            console.line(RED + timestamp() + "Cannot promote: " + e.getMessage() + RESET);
            return false;
        }
    }

    private static Promotion parse(List<String> arguments) {
        List<String> rest = new ArrayList<>(arguments);
        String oldVersion = null;
        Set<String> excluded = new LinkedHashSet<>();
        while (!rest.isEmpty() && !rest.get(0).equals("--")) {
            String option = rest.remove(0);
            switch (option) {
                case "--yes", "--train" -> {
                }
                case "--old-version" -> oldVersion = value(option, rest);
                case "--exclude-wikis" -> excluded.addAll(List.of(value(option, rest).split(",")));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (rest.size() != 3) {
            throw new IllegalArgumentException("needs -- GROUP VERSION");
        }
        String group = rest.get(1);
        String version = rest.get(2);
        if (!TrainGroups.promotable().contains(group)) {
            throw new IllegalArgumentException(group + " is not a group");
        }
        if (!TrainVersion.isValid(version) || oldVersion == null || !TrainVersion.isValid(oldVersion)) {
            throw new IllegalArgumentException("versions must be train branch names such as 1.45.0-wmf.4");
        }
        return new Promotion(group, version, oldVersion, excluded);
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.remove(0);
    }
}
