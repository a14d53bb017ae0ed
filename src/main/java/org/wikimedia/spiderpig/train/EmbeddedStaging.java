package org.wikimedia.spiderpig.train;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small staging directory of the embedded default, so the Train page has something to show without a
 * deployment host: a few real wiki names in their real groups, the test wikis already on this week's train
 * and the rest still on last week's. The simulated {@code scap deploy-promote} moves them on.
 */
public final class EmbeddedStaging {

    public static final String OLD_VERSION = "1.45.0-wmf.3";
    public static final String VERSION = "1.45.0-wmf.4";

    static final Map<String, List<String>> GROUPS = groups();

    private EmbeddedStaging() {
    }

    /** Writes the example into an empty or missing directory; one that has a wikiversions.json is left alone. */
    public static void createIfMissing(StagingDirectory staging) {
        if (Files.exists(staging.directory().resolve(StagingDirectory.WIKIVERSIONS))) {
            return;
        }
        Map<String, String> versions = new LinkedHashMap<>();
        GROUPS.forEach((group, wikis) -> {
            staging.writeDblist(group, wikis);
            wikis.forEach(wiki -> versions.put(wiki, group.equals("testwikis") ? VERSION : OLD_VERSION));
        });
        staging.write(versions);
    }

    private static Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("testwikis", List.of("testwiki", "test2wiki", "testwikidatawiki", "testcommonswiki"));
        groups.put("group0", List.of("mediawikiwiki", "officewiki", "collabwiki", "labswiki", "foundationwiki"));
        groups.put("group1", List.of("commonswiki", "wikidatawiki", "metawiki", "enwiktionary", "dewiktionary",
                "enwikisource", "enwikivoyage", "enwikiquote", "specieswiki", "cawiki", "hewiki"));
        groups.put("group2", List.of("enwiki", "dewiki", "frwiki", "jawiki", "eswiki", "ruwiki", "itwiki", "zhwiki",
                "plwiki", "ptwiki", "nlwiki", "svwiki", "arwiki", "fawiki"));
        return groups;
    }
}
