package org.wikimedia.spiderpig.train;

import java.util.List;
import java.util.stream.Stream;

/** The groups of wikis the train rolls to, in the order it rolls, and the name for all wikis at once. */
public final class TrainGroups {

    public static final List<String> IN_ORDER = List.of("testwikis", "group0", "group1", "group2");
    public static final String ALL = "all";

    private TrainGroups() {
    }

    /** The groups a promotion may name: each group, or all. */
    public static List<String> promotable() {
        return Stream.concat(IN_ORDER.stream(), Stream.of(ALL)).toList();
    }
}
