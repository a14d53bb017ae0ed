package org.wikimedia.spiderpig.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikimedia.spiderpig.train.EmbeddedStaging;
import org.wikimedia.spiderpig.train.StagingDirectory;
import tools.jackson.databind.json.JsonMapper;

/** The simulated {@code scap deploy-promote}, in plain text, against an embedded staging directory. */
class DeployPromoteSimulationTest {

    private static final List<String> GROUP1 = List.of("--yes", "--train", "--old-version", EmbeddedStaging.OLD_VERSION,
            "--exclude-wikis", "hewiki,cawiki", "--", "group1", EmbeddedStaging.VERSION);

    @TempDir
    Path directory;

    private StagingDirectory staging() {
        StagingDirectory staging = new StagingDirectory(directory, JsonMapper.builder().build());
        EmbeddedStaging.createIfMissing(staging);
        return staging;
    }

    private record Run(int exit, String output) {
    }

    private Run promote(List<String> arguments, String answers) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("deploy-promote"));
        args.addAll(arguments);
        int exit = Simulator.run(args, Map.of("SPIDERPIG_SIMULATOR_PACE", "fast",
                        DeployPromoteScenario.STAGING_VARIABLE, directory.toString()),
                new ByteArrayInputStream(answers.getBytes(StandardCharsets.UTF_8)), out);
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPromotionAnsweredYesMovesTheGroupButNotItsExcludedWikis() {
        StagingDirectory staging = staging();

        Run run = promote(GROUP1, "y\n");

        assertThat(run.exit()).isZero();
        assertThat(run.output()).contains("Sync wikiversions.json to production (group1 wikis to 1.45.0-wmf.4)? [y/N] ")
                .contains("sync-wikiversions: 100% (ok: 12; fail: 0; left: 0)")
                .contains("9 wiki(s) now on php-1.45.0-wmf.4")
                .contains("\u001b[32m");
        Map<String, String> versions = staging.wikiVersions();
        assertThat(versions).containsEntry("commonswiki", EmbeddedStaging.VERSION)
                .containsEntry("hewiki", EmbeddedStaging.OLD_VERSION)
                .containsEntry("enwiki", EmbeddedStaging.OLD_VERSION);
    }

    @Test
    void answeringNoChangesNothing() {
        StagingDirectory staging = staging();
        Map<String, String> before = staging.wikiVersions();

        Run run = promote(GROUP1, "\n");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("Promotion cancelled");
        assertThat(staging.wikiVersions()).isEqualTo(before);
    }

    @Test
    void badArgumentsAreUsageErrors() {
        staging();
        assertThat(promote(List.of("--", "group9", "1.45.0-wmf.4"), "").exit()).isEqualTo(2);
        assertThat(promote(List.of("--old-version", "1.45.0-wmf.3", "--", "group1", "master"), "").exit()).isEqualTo(2);
        assertThat(promote(List.of("--old-version", "1.45.0-wmf.3", "group1", "1.45.0-wmf.4"), "").exit()).isEqualTo(2);
    }
}
