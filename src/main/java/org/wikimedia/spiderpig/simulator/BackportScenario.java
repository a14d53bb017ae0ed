package org.wikimedia.spiderpig.simulator;

import static org.wikimedia.spiderpig.simulator.ScapOutput.BOLD;
import static org.wikimedia.spiderpig.simulator.ScapOutput.CYAN;
import static org.wikimedia.spiderpig.simulator.ScapOutput.RED;
import static org.wikimedia.spiderpig.simulator.ScapOutput.RESET;
import static org.wikimedia.spiderpig.simulator.ScapOutput.YELLOW;
import static org.wikimedia.spiderpig.simulator.ScapOutput.YES_NO;
import static org.wikimedia.spiderpig.simulator.ScapOutput.timestamp;

import java.util.List;

/**
 * A pretend {@code scap backport}, shaped after recordings of the real one: it checks the change
 * numbers, shows them, asks to go ahead, merges, prepares the code, syncs the testservers, asks again,
 * then syncs production. Change 666 never merges (its tests fail), so the failure path can be tried.
 */
final class BackportScenario {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final String FAILING_CHANGE = "666";

    private final Console console;
    private final Pace pace;
    private final ScapOutput scap;

    BackportScenario(Console console, Pace pace) {
        this.console = console;
        this.pace = pace;
        this.scap = new ScapOutput(console, pace);
    }

    int run(List<String> changes) {
        if (changes.isEmpty()) {
            console.line(RED + "usage: backport <change number>..." + RESET);
            return EXIT_USAGE;
        }
        for (String change : changes) {
            if (!change.matches("[1-9][0-9]{0,9}")) {
                console.line(RED + timestamp() + "\"" + change + "\" is not a Gerrit change number" + RESET);
                return EXIT_USAGE;
            }
        }
        checkChanges(changes);
        String go = console.choose("Backport the changes?", YES_NO, "n");
        if (!"y".equals(go)) {
            scap.info("Backport cancelled" + (go == null ? ": nobody answered" : "") + ". Nothing was changed.");
            return EXIT_FAILED;
        }
        if (!merge(changes)) {
            return EXIT_FAILED;
        }
        prep(changes);
        long started = System.nanoTime();
        syncTestservers(changes);
        scap.info("Your changes are live on the testservers. Please check them, e.g. on https://test.wikipedia.org");
        console.status("Waiting for confirmation to continue");
        String more = console.choose("Continue with sync?", YES_NO, "n");
        console.status(null);
        if (!"y".equals(more)) {
            console.line(YELLOW + timestamp() + "Sync cancelled" + (more == null ? ": nobody answered" : "")
                    + ". The changes are merged and on the testservers only; revert them in Gerrit if needed." + RESET);
            return EXIT_FAILED;
        }
        syncProduction(changes, started);
        return EXIT_OK;
    }

    private void checkChanges(List<String> changes) {
        console.status("Checking changes");
        scap.info("Checking " + changes.size() + " change(s): " + String.join(", ", changes));
        for (String change : changes) {
            pace.pause(0.6);
            scap.info("Change " + change + " is on " + branchOf(change) + " of " + projectOf(change) + " and has Code-Review +2 rights");
        }
        console.status(null);
        String border = "+" + "-".repeat(10) + "+" + "-".repeat(42) + "+" + "-".repeat(18) + "+" + "-".repeat(52) + "+";
        console.line(border);
        console.line(BOLD + String.format("| %-8s | %-40s | %-16s | %-50s |", "Change", "Project", "Branch", "Subject") + RESET);
        console.line(border);
        for (String change : changes) {
            console.line(String.format("| %-8s | %-40s | %-16s | %-50s |",
                    change, projectOf(change), branchOf(change), subjectOf(change)));
        }
        console.line(border);
    }

    private boolean merge(List<String> changes) {
        scap.info("Voting on " + changes.size() + " change(s)");
        pace.pause(1.5);
        String waiting = "Waiting for changes to be merged. This may take some time if there are long running tests.";
        scap.info(waiting);
        console.status(waiting);
        int ok = 0;
        int failed = 0;
        scap.progressLine("awaiting-backport-merges", changes.size(), ok, failed);
        for (String change : changes) {
            pace.pause(4);
            if (change.equals(FAILING_CHANGE)) {
                failed++;
                console.line(RED + timestamp() + "Change " + change + " was not merged: Verified -1 by jenkins-bot "
                        + "(mediawiki-quibble-vendor-mysql-php81: 3 tests failed)" + RESET);
            } else {
                ok++;
                scap.info("Change " + change + " was merged");
            }
            scap.progress("awaiting-backport-merges", changes.size(), ok, failed, false);
        }
        scap.progress("awaiting-backport-merges", changes.size(), ok, failed, true);
        scap.progressLine("awaiting-backport-merges", changes.size(), ok, failed);
        if (failed > 0) {
            console.status("Backport failed");
            console.line(RED + timestamp() + "Backport failed: " + failed + " change(s) could not be merged. "
                    + "Fix the tests and try again." + RESET);
            return false;
        }
        scap.info("All changes have been merged");
        console.status("All changes have been merged");
        return true;
    }

    private void prep(List<String> changes) {
        scap.info("Collecting commits to deploy...");
        scap.info("Fetching new changes...");
        pace.pause(1);
        scap.info("Started scap prep auto");
        console.status("Checking out mediawiki-config");
        scap.info("Update https://gerrit.wikimedia.org/r/operations/mediawiki-config (master branch) in /srv/mediawiki-staging");
        pace.pause(2);
        for (String version : SimulatedChanges.VERSIONS) {
            console.status("Checking out " + version);
            scap.info("Update https://gerrit.wikimedia.org/r/mediawiki/core (wmf/" + version + " branch) in /srv/mediawiki-staging/php-" + version);
            pace.pause(5);
            // Security patches are not public: their names are only for those who may see sensitive lines.
            List<String> patches = List.of(
                    "/srv/patches/" + version + "/core/01-T" + (350000 + changes.get(0).length() * 7) + ".patch",
                    "/srv/patches/" + version + "/extensions/CentralAuth/01-T" + (351234 + changes.size()) + ".patch");
            for (String patch : patches) {
                console.line("Applying patch " + patch + " in /srv/mediawiki-staging/php-" + version, true);
            }
            for (String patch : patches) {
                console.line("[APPLIED] " + patch, true);
            }
            scap.info("MediaWiki wmf/" + version + " successfully checked out.");
            console.status(null);
        }
        scap.info("Finished scap prep auto (duration: 00m 14s)");
    }

    private void syncTestservers(List<String> changes) {
        scap.info("Started scap sync-world: Backport for " + changes.stream()
                .map(c -> "[[gerrit:" + c + "|" + subjectOf(c) + "]]").reduce((a, b) -> a + ", " + b).orElse(""));
        console.status("Starting scap sync-world");
        scap.step("cache_git_info", null, 1);
        console.status("Updating l10n files");
        scap.info("Started l10n-update");
        for (String version : SimulatedChanges.VERSIONS) {
            scap.info("Updating ExtensionMessages-" + version + ".php");
            pace.pause(2);
            scap.info("Updating LocalisationCache for " + version + " using 10 thread(s)");
            scap.info("0 languages rebuilt out of 1");
        }
        scap.info("Finished l10n-update (duration: 00m 08s)");
        console.status(null);
        console.status("Building container images");
        scap.step("build-and-push-container-images", null, 8);
        console.status("Sync k8s testservers");
        scap.hostStep("sync-testservers-k8s", "K8s deployment progress", 1, 3);
        console.status("Sync baremetal testservers");
        scap.hostStep("sync-testservers", "sync-testservers", 4, 2);
        console.status("Checking testservers");
        scap.step("check-testservers", "Executing check 'check_testservers_k8s-1_of_1'", 2);
        console.status(null);
    }

    private void syncProduction(List<String> changes, long started) {
        console.status("Sync k8s canaries");
        scap.hostStep("sync-canaries-k8s", "K8s deployment progress", 1, 4);
        console.status("Waiting 20 seconds for canary traffic...");
        scap.info("Waiting 20 seconds for canary traffic...");
        pace.pause(20);
        scap.info("Logstash checker Counted 7 error(s) in the last 20 seconds. OK.");
        console.status("Sync k8s production");
        scap.hostStep("sync-prod-k8s", "K8s deployment progress", 1, 6);
        console.status("Sync baremetal production");
        scap.hostStep("sync-apaches", "sync-apaches", 12, 4);
        console.status("Restarting php-fpm");
        scap.hostStep("php-fpm-restarts", "php-fpm-restart", 12, 1);
        console.status(null);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        scap.info(String.format("Finished scap sync-world: Backport for %s (duration: %02dm %02ds)",
                String.join(", ", changes), seconds / 60, seconds % 60));
        console.line(CYAN + "   \\_(ツ)_/  backport of " + String.join(", ", changes) + " done" + RESET);
    }

    private static String projectOf(String change) {
        return SimulatedChanges.projectOf(change);
    }

    private static String branchOf(String change) {
        return SimulatedChanges.branchOf(change);
    }

    private static String subjectOf(String change) {
        return SimulatedChanges.subjectOf(change);
    }
}
