package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.wikimedia.spiderpig.store.ThrottleStore;
import org.wikimedia.spiderpig.store.ThrottleStore.ThrottleState;
import org.wikimedia.spiderpig.support.StoreTestDatabase;

/** What every {@link ThrottleStore} promises, on each database the server supports. */
@ParameterizedClass
@EnumSource(StoreTestDatabase.Kind.class)
class ThrottleStoreContractTest extends DatabaseContract {

    private static final Instant NOW = Instant.parse("2026-11-30T05:00:00.250Z");

    private ThrottleStore throttle;

    ThrottleStoreContractTest(StoreTestDatabase.Kind kind) {
        super(kind);
    }

    @BeforeEach
    void openStore() {
        throttle = new R2dbcThrottleStore(db());
    }

    @Test
    void aStateIsReplacedByTheNextSaveAndKeptWhileRecentOrLocked() {
        Instant staleBefore = NOW.minusSeconds(3600);
        throttle.save(new ThrottleState("account:alice", List.of(NOW.minusSeconds(2)), null), NOW.minusSeconds(2),
                staleBefore).block(WAIT);
        ThrottleState locked = new ThrottleState("account:alice", List.of(NOW.minusSeconds(2), NOW), NOW.plusSeconds(900));
        throttle.save(locked, NOW, staleBefore).block(WAIT);
        throttle.save(new ThrottleState("address:10.0.0.0/24", List.of(), null), NOW.minusSeconds(10), staleBefore)
                .block(WAIT);

        assertThat(throttle.recent(NOW.minusSeconds(5), NOW).collectList().block(WAIT)).containsExactly(locked);
        assertThat(throttle.recent(NOW.minusSeconds(60), NOW).map(ThrottleState::key).collectList().block(WAIT))
                .containsExactlyInAnyOrder("account:alice", "address:10.0.0.0/24");
        assertThat(throttle.recent(NOW.plusSeconds(60), NOW.plusSeconds(60)).collectList().block(WAIT))
                .containsExactly(locked);

        throttle.delete("account:alice").block(WAIT);
        assertThat(throttle.recent(NOW.minusSeconds(5), NOW).collectList().block(WAIT)).isEmpty();
    }

    @Test
    void savingForgetsStatesThatWentStaleUnlessTheyAreStillLocked() {
        throttle.save(new ThrottleState("account:old", List.of(NOW.minusSeconds(7200)), null), NOW.minusSeconds(7200),
                NOW.minusSeconds(10_000)).block(WAIT);
        throttle.save(new ThrottleState("account:locked", List.of(), NOW.plusSeconds(60)), NOW.minusSeconds(7200),
                NOW.minusSeconds(10_000)).block(WAIT);

        throttle.save(new ThrottleState("account:new", List.of(NOW), null), NOW, NOW.minusSeconds(3600)).block(WAIT);

        assertThat(throttle.recent(Instant.EPOCH, NOW).map(ThrottleState::key).collectList().block(WAIT))
                .containsExactlyInAnyOrder("account:locked", "account:new");
    }
}
