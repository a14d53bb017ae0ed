package org.wikimedia.spiderpig.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikimedia.spiderpig.train.TrainBlockersSource.BlockerTask;
import org.wikimedia.spiderpig.train.TrainBlockersSource.TrainBlockersUnavailable;
import org.wikimedia.spiderpig.train.TrainStatus.Group;
import org.wikimedia.spiderpig.train.TrainStatus.Warning;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The train's status from a staging directory and a blockers source, each of which may fail. */
class TrainStatusServiceTest {

    private static final BlockerTask BLOCKER = new BlockerTask("1.45.0-wmf.4", "T395123", "open", "2026-11-30",
            "https://phabricator.wikimedia.org/T395123");

    @TempDir
    Path directory;

    private StagingDirectory embedded() {
        StagingDirectory staging = new StagingDirectory(directory, JsonMapper.builder().build());
        EmbeddedStaging.createIfMissing(staging);
        return staging;
    }

    private static TrainStatus status(StagingDirectory staging, TrainBlockersSource blockers) {
        TrainStatus[] answer = new TrainStatus[1];
        StepVerifier.create(new TrainStatusService(staging, blockers, Schedulers.boundedElastic()).status())
                .consumeNextWith(status -> answer[0] = status)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        return answer[0];
    }

    @Test
    void theEmbeddedStagingHasTheTestWikisRolledAndTheRestOnLastWeeksTrain() {
        TrainStatus status = status(embedded(), () -> Mono.just(BLOCKER));

        assertThat(status.trainVersion()).isEqualTo("1.45.0-wmf.4");
        assertThat(status.previousVersion()).isEqualTo("1.45.0-wmf.3");
        assertThat(status.groups()).extracting(Group::name).containsExactly("testwikis", "group0", "group1", "group2");
        assertThat(status.groups()).extracting(Group::rolled).containsExactly(true, false, false, false);
        assertThat(status.groups().get(1).version()).isEqualTo("1.45.0-wmf.3");
        assertThat(status.blocker()).isEqualTo(BLOCKER);
        assertThat(status.warnings()).isEmpty();
    }

    @Test
    void aPromotionMovesTheGroupsWikisButNotTheExcludedOnes() {
        StagingDirectory staging = embedded();
        assertThat(staging.promote("group1", "1.45.0-wmf.4", Set.of("hewiki"))).isEqualTo(10);

        Group group1 = status(staging, () -> Mono.just(BLOCKER)).groups().get(2);
        assertThat(group1.rolled()).isFalse();
        assertThat(group1.version()).isNull();
        assertThat(group1.versions()).isEqualTo(Map.of("1.45.0-wmf.4", 10, "1.45.0-wmf.3", 1));

        staging.promote("all", "1.45.0-wmf.4", Set.of());
        assertThat(status(staging, () -> Mono.just(BLOCKER)).groups()).allMatch(Group::rolled);
    }

    @Test
    void withoutTheBlockersApiTheNewestStagedVersionIsTheTrainAndItsFailureAWarning() {
        TrainStatus status = status(embedded(), () -> Mono.error(new TrainBlockersUnavailable("it answered HTTP 503")));

        assertThat(status.trainVersion()).isEqualTo("1.45.0-wmf.4");
        assertThat(status.groups().get(0).rolled()).isTrue();
        assertThat(status.blocker()).isNull();
        assertThat(status.warnings()).containsExactly(new Warning("blockers", "it answered HTTP 503"));
    }

    @Test
    void anUnexpectedBlockersFailureIsAWarningToo() {
        TrainStatus status = status(embedded(), () -> Mono.error(new IllegalStateException("boom")));

        assertThat(status.warnings()).extracting(Warning::source).containsExactly("blockers");
    }

    @Test
    void aMissingWikiversionsFileIsAWarningAndTheBlockerIsStillShown() {
        TrainStatus status = status(new StagingDirectory(directory.resolve("nowhere"), JsonMapper.builder().build()),
                () -> Mono.just(BLOCKER));

        assertThat(status.groups()).isEmpty();
        assertThat(status.trainVersion()).isEqualTo("1.45.0-wmf.4");
        assertThat(status.blocker()).isEqualTo(BLOCKER);
        assertThat(status.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.source()).isEqualTo("wikiversions");
            assertThat(warning.message()).contains("wikiversions.json does not exist");
        });
    }

    @Test
    void badWikiversionsJsonIsAWarning() throws IOException {
        StagingDirectory staging = embedded();
        for (String body : new String[] {"{not json", "[1, 2]", "{\"enwiki\": 7}"}) {
            Files.writeString(directory.resolve("wikiversions.json"), body);
            TrainStatus status = status(staging, () -> Mono.just(BLOCKER));
            assertThat(status.warnings()).as(body).extracting(Warning::source).containsExactly("wikiversions");
            assertThat(status.groups()).as(body).isEmpty();
        }
    }

    @Test
    void aMissingDblistIsAWarningAndTheOtherGroupsAreShown() throws IOException {
        StagingDirectory staging = embedded();
        Files.delete(directory.resolve("dblists/group2.dblist"));

        TrainStatus status = status(staging, () -> Mono.just(BLOCKER));

        assertThat(status.warnings()).extracting(Warning::source).containsExactly("dblists");
        assertThat(status.groups()).extracting(Group::wikis).containsExactly(4, 5, 11, 0);
    }
}
