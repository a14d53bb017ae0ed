package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.wikimedia.spiderpig.store.SecondFactorStore;
import org.wikimedia.spiderpig.store.SecondFactorStore.StoredSecondFactor;
import org.wikimedia.spiderpig.support.StoreTestDatabase;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** What every {@link SecondFactorStore} promises, on each database the server supports. */
@ParameterizedClass
@EnumSource(StoreTestDatabase.Kind.class)
class SecondFactorStoreContractTest extends DatabaseContract {

    private static final Instant NOW = Instant.parse("2026-11-30T05:00:00Z");

    private SecondFactorStore factors;

    SecondFactorStoreContractTest(StoreTestDatabase.Kind kind) {
        super(kind);
    }

    @BeforeEach
    void openStore() {
        factors = new R2dbcSecondFactorStore(db());
    }

    @Test
    void anEnrolmentIsReplacedUntilConfirmedAndThenKeptUntilRemoved() {
        assertThat(factors.begin("alice", "secret-1", NOW).block(WAIT)).isTrue();
        assertThat(factors.begin("alice", "secret-2", NOW.plusSeconds(1)).block(WAIT)).isTrue();
        assertThat(factors.confirm("alice", "secret-1", 100, NOW).block(WAIT)).as("replaced").isFalse();
        assertThat(factors.confirm("alice", "secret-2", 100, NOW.plusSeconds(2)).block(WAIT)).isTrue();

        assertThat(factors.find("alice").block(WAIT))
                .isEqualTo(new StoredSecondFactor("alice", "secret-2", NOW.plusSeconds(1), NOW.plusSeconds(2), 100));
        assertThat(factors.begin("alice", "secret-3", NOW).block(WAIT)).isFalse();
        assertThat(factors.confirm("alice", "secret-2", 101, NOW).block(WAIT)).isFalse();
        assertThat(factors.remove("alice").block(WAIT)).isTrue();
        assertThat(factors.remove("alice").block(WAIT)).isFalse();
        assertThat(factors.find("alice").block(WAIT)).isNull();
    }

    @Test
    void ofConcurrentUsesOfOneStepExactlyOneIsAccepted() {
        factors.begin("alice", "secret", NOW).block(WAIT);
        factors.confirm("alice", "secret", 100, NOW).block(WAIT);
        assertThat(factors.accept("alice", 100).block(WAIT)).as("the confirming code again").isFalse();

        for (long step = 101; step < 121; step++) {
            long used = step;
            List<Boolean> accepted = Flux.range(0, 16)
                    .flatMap(i -> factors.accept("alice", used).subscribeOn(Schedulers.parallel()), 16)
                    .filter(Boolean::booleanValue)
                    .collectList().block(WAIT);
            assertThat(accepted).as("step %d", step).hasSize(1);
        }
        assertThat(factors.accept("alice", 110).block(WAIT)).as("an older step").isFalse();
        assertThat(factors.accept("bob", 200).block(WAIT)).as("no second factor").isFalse();
    }
}
