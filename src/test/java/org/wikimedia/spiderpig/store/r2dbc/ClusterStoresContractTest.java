package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wikimedia.spiderpig.store.JobCommandStore.JobCommand;
import org.wikimedia.spiderpig.store.JobOwnerStore.JobOwner;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/** The stores several instances coordinate through, on SQLite and on PostgreSQL alike. */
class ClusterStoresContractTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static final Duration TTL = Duration.ofSeconds(30);

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void ofManyConcurrentTakersExactlyOneGetsTheLease(String dialect) {
        try (ClusterTestDatabase database = ClusterTestDatabase.of(dialect)) {
            R2dbcQueueLeaseStore leases = new R2dbcQueueLeaseStore(database.db);
            for (int round = 0; round < 20; round++) {
                String group = "group-" + round;
                List<String> holders = Flux.range(0, 16)
                        .flatMap(taker -> leases.acquire(group, "instance-" + taker, NOW, NOW.plus(TTL))
                                .subscribeOn(Schedulers.parallel())
                                .filter(Boolean::booleanValue)
                                .map(won -> "instance-" + taker), 16)
                        .collectList()
                        .block(TIMEOUT);

                assertThat(holders).as("round %d", round).hasSize(1);
                assertThat(leases.acquire(group, holders.get(0), NOW, NOW.plus(TTL)).block(TIMEOUT))
                        .as("the holder takes it again (a renewal)").isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aLeaseIsTakenOverOnlyOnceItExpiredAndGoesWhenItsHolderLetsGo(String dialect) {
        try (ClusterTestDatabase database = ClusterTestDatabase.of(dialect)) {
            R2dbcQueueLeaseStore leases = new R2dbcQueueLeaseStore(database.db);
            assertThat(leases.acquire("backport", "a", NOW, NOW.plus(TTL)).block(TIMEOUT)).isTrue();

            assertThat(leases.acquire("backport", "b", NOW.plus(TTL).minusMillis(1), NOW.plus(TTL.multipliedBy(2)))
                    .block(TIMEOUT)).as("before it expires").isFalse();
            leases.renewAll("a", NOW.plus(TTL.multipliedBy(2))).block(TIMEOUT);
            assertThat(leases.acquire("backport", "b", NOW.plus(TTL).plusMillis(1), NOW.plus(TTL.multipliedBy(3)))
                    .block(TIMEOUT)).as("renewed, so not expired").isFalse();
            assertThat(leases.acquire("backport", "b", NOW.plus(TTL.multipliedBy(2)).plusMillis(1),
                    NOW.plus(TTL.multipliedBy(3))).block(TIMEOUT)).as("expired").isTrue();
            assertThat(leases.acquire("backport", "a", NOW.plus(TTL.multipliedBy(2)).plusMillis(2),
                    NOW.plus(TTL.multipliedBy(3))).block(TIMEOUT)).as("the old holder lost it").isFalse();

            leases.release("backport", "a").block(TIMEOUT);
            assertThat(leases.acquire("backport", "c", NOW, NOW.plus(TTL)).block(TIMEOUT))
                    .as("only its holder lets go of a lease").isFalse();
            leases.release("backport", "b").block(TIMEOUT);
            assertThat(leases.acquire("backport", "c", NOW, NOW.plus(TTL)).block(TIMEOUT)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aRestartedServerDropsTheLeasesOfItsHostsEarlierInstancesOnly(String dialect) {
        try (ClusterTestDatabase database = ClusterTestDatabase.of(dialect)) {
            R2dbcQueueLeaseStore leases = new R2dbcQueueLeaseStore(database.db);
            R2dbcInstanceStore instances = new R2dbcInstanceStore(database.db);
            instances.beat("deploy1-old", "deploy1", NOW, NOW).block(TIMEOUT);
            instances.beat("deploy2-x", "deploy2", NOW, NOW).block(TIMEOUT);
            leases.hold("backport", "deploy1-old", NOW.plus(TTL)).block(TIMEOUT);
            leases.hold("train", "deploy2-x", NOW.plus(TTL)).block(TIMEOUT);

            leases.releaseEarlierInstances("deploy1", "deploy1-new").block(TIMEOUT);

            assertThat(leases.acquire("backport", "deploy1-new", NOW, NOW.plus(TTL)).block(TIMEOUT)).isTrue();
            assertThat(leases.acquire("train", "deploy1-new", NOW, NOW.plus(TTL)).block(TIMEOUT)).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aHostIsSeenAsLateAsItsLatestInstanceAndOldInstancesAreForgotten(String dialect) {
        try (ClusterTestDatabase database = ClusterTestDatabase.of(dialect)) {
            R2dbcInstanceStore instances = new R2dbcInstanceStore(database.db);
            instances.beat("deploy1-a", "deploy1", NOW, NOW).block(TIMEOUT);
            instances.beat("deploy1-b", "deploy1", NOW, NOW.plusSeconds(5)).block(TIMEOUT);
            instances.beat("deploy1-a", "deploy1", NOW, NOW.plusSeconds(3)).block(TIMEOUT);

            assertThat(instances.hostLastSeen("deploy1").block(TIMEOUT)).isEqualTo(NOW.plusSeconds(5));
            assertThat(instances.hostLastSeen("deploy9").blockOptional(TIMEOUT)).isEmpty();

            instances.forgetNotSeenSince(NOW.plusSeconds(4)).block(TIMEOUT);
            instances.forgetNotSeenSince(NOW.plusSeconds(6)).block(TIMEOUT);
            assertThat(instances.hostLastSeen("deploy1").blockOptional(TIMEOUT)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aCommandIsClaimedByExactlyOneOfManyAndThenNoLongerPending(String dialect) {
        try (ClusterTestDatabase database = ClusterTestDatabase.of(dialect)) {
            R2dbcJobCommandStore commands = new R2dbcJobCommandStore(database.db, JsonMapper.builder().build());
            long job = database.newJob("backport");
            long other = database.newJob("backport");
            commands.add(job, "answer", Map.of("interaction", "7", "response", "y"), NOW).block(TIMEOUT);
            commands.add(other, "cancel", Map.of("by", "alice"), NOW).block(TIMEOUT);
            commands.add(job, "signal", Map.of("signal", "kill", "by", "bob"), NOW).block(TIMEOUT);

            List<JobCommand> pending = commands.pending(List.of(job)).collectList().block(TIMEOUT);
            assertThat(pending).extracting(JobCommand::kind).containsExactly("answer", "signal");
            assertThat(pending.get(0).payload()).isEqualTo(Map.of("interaction", "7", "response", "y"));

            long claims = Flux.range(0, 16)
                    .flatMap(taker -> commands.claim(pending.get(0).id(), NOW).subscribeOn(Schedulers.parallel()), 16)
                    .filter(Boolean::booleanValue)
                    .count()
                    .block(TIMEOUT);
            assertThat(claims).isEqualTo(1);
            assertThat(commands.pending(List.of(job, other)).collectList().block(TIMEOUT))
                    .extracting(JobCommand::kind).containsExactly("cancel", "signal");
            assertThat(commands.pending(List.of()).collectList().block(TIMEOUT)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aJobsOwnerIsRecordedAndReadBack(String dialect) {
        try (ClusterTestDatabase database = ClusterTestDatabase.of(dialect)) {
            R2dbcJobOwnerStore owners = new R2dbcJobOwnerStore(database.db);
            long job = database.newJob("backport");
            assertThat(owners.of(job).blockOptional(TIMEOUT)).as("not started").isEmpty();

            owners.record(job, new JobOwner("deploy1-a", "deploy1")).block(TIMEOUT);
            owners.record(job, new JobOwner("deploy1-b", "deploy1")).block(TIMEOUT);

            assertThat(owners.of(job).block(TIMEOUT)).isEqualTo(new JobOwner("deploy1-b", "deploy1"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aQueuedJobsAcceptingHostIsItsHostUntilItStartsWhereItRuns(String dialect) {
        try (ClusterTestDatabase database = ClusterTestDatabase.of(dialect)) {
            R2dbcJobOwnerStore owners = new R2dbcJobOwnerStore(database.db);
            long job = database.newJob("backport");
            assertThat(owners.host(job).blockOptional(TIMEOUT)).as("nothing recorded").isEmpty();

            owners.accepted(job, "deploy1").block(TIMEOUT);
            assertThat(owners.host(job).block(TIMEOUT)).isEqualTo("deploy1");
            assertThat(owners.of(job).blockOptional(TIMEOUT)).as("accepted, not started").isEmpty();

            owners.record(job, new JobOwner("deploy2-a", "deploy2")).block(TIMEOUT);
            owners.accepted(job, "deploy1").block(TIMEOUT);
            assertThat(owners.host(job).block(TIMEOUT)).as("started: where it runs").isEqualTo("deploy2");
            assertThat(owners.of(job).block(TIMEOUT)).isEqualTo(new JobOwner("deploy2-a", "deploy2"));
        }
    }
}
