package org.wikimedia.spiderpig.simulator;

import java.util.List;
import org.wikimedia.spiderpig.train.EmbeddedStaging;

/**
 * The made-up facts of a change number, always the same for one number: what the simulated scap prints
 * and what the simulated Gerrit answers agree.
 */
public final class SimulatedChanges {

    static final List<String> VERSIONS = List.of(EmbeddedStaging.OLD_VERSION, EmbeddedStaging.VERSION);
    private static final String[] PROJECTS = {
        "mediawiki/core", "operations/mediawiki-config", "mediawiki/extensions/GrowthExperiments",
        "mediawiki/extensions/CentralAuth", "mediawiki/extensions/Echo", "mediawiki/skins/Vector"};
    private static final String[] SUBJECTS = {
        "Fix fatal error when the user has no edit count", "Enable the new toolbar on test wikis",
        "Avoid a slow query on Special:RecentChanges", "Revert \"Add logging for session errors\"",
        "Update the message for blocked IP ranges", "Guard against a missing revision in the diff view"};

    private SimulatedChanges() {
    }

    public static String projectOf(String change) {
        return PROJECTS[(int) (Long.parseLong(change) % PROJECTS.length)];
    }

    public static String branchOf(String change) {
        return projectOf(change).equals("operations/mediawiki-config") ? "master"
                : "wmf/" + VERSIONS.get((int) (Long.parseLong(change) % VERSIONS.size()));
    }

    public static String subjectOf(String change) {
        return SUBJECTS[(int) (Long.parseLong(change) / 7 % SUBJECTS.length)];
    }
}
