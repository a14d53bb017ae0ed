package org.wikimedia.spiderpig.train;

import java.util.List;
import java.util.Map;
import org.wikimedia.spiderpig.train.TrainBlockersSource.BlockerTask;

/**
 * Where the train is: each group's version(s) and whether it has rolled to the train's version, the train's
 * version and the one before it, this week's blocker task, and a warning for each source that failed.
 */
public record TrainStatus(
        String trainVersion,
        String previousVersion,
        List<Group> groups,
        BlockerTask blocker,
        List<Warning> warnings) {

    /**
     * {@code version} is the one version all its wikis are on (null when they are split); {@code versions} counts
     * wikis by version; {@code rolled} says every wiki is on the train's version.
     */
    public record Group(String name, int wikis, String version, Map<String, Integer> versions, boolean rolled) {
    }

    /** {@code source}: wikiversions, dblists or blockers. */
    public record Warning(String source, String message) {
    }
}
