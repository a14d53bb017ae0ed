package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.wikimedia.spiderpig.store.SessionStore;
import org.wikimedia.spiderpig.support.StoreTestDatabase;

/** What every {@link SessionStore} promises, on each database the server supports. */
@ParameterizedClass
@EnumSource(StoreTestDatabase.Kind.class)
class SessionStoreContractTest extends DatabaseContract {

    private static final Instant NOW = Instant.parse("2026-11-30T05:00:00Z");

    private SessionStore sessions;

    SessionStoreContractTest(StoreTestDatabase.Kind kind) {
        super(kind);
    }

    @BeforeEach
    void openStore() {
        sessions = new R2dbcSessionStore(db());
    }

    @Test
    void aSessionIsFoundUntilItExpiresAndAPendingOneOnlyAsPending() {
        sessions.create("h1", "alice", NOW, NOW.plusSeconds(60)).block(WAIT);
        sessions.createPending("h2", "bob", NOW, NOW.plusSeconds(60)).block(WAIT);

        assertThat(sessions.findUser("h1", NOW).block(WAIT)).isEqualTo("alice");
        assertThat(sessions.findUser("h1", NOW.plusSeconds(60)).block(WAIT)).isNull();
        assertThat(sessions.findPendingUser("h1", NOW).block(WAIT)).isNull();
        assertThat(sessions.findPendingUser("h2", NOW).block(WAIT)).isEqualTo("bob");
        assertThat(sessions.findUser("h2", NOW).block(WAIT)).isNull();
        assertThat(sessions.findUser("H1", NOW).block(WAIT)).as("hashes compare exactly").isNull();
    }

    @Test
    void sessionsEndOneByOneByExpiryOrAllAtOnce() {
        sessions.create("h1", "alice", NOW, NOW.plusSeconds(10)).block(WAIT);
        sessions.create("h2", "alice", NOW, NOW.plusSeconds(20)).block(WAIT);
        sessions.create("h3", "bob", NOW, NOW.plusSeconds(30)).block(WAIT);

        assertThat(sessions.deleteExpired(NOW.plusSeconds(10)).block(WAIT)).isEqualTo(1);
        sessions.delete("h2").block(WAIT);
        assertThat(sessions.findUser("h2", NOW).block(WAIT)).isNull();
        assertThat(sessions.deleteAll().block(WAIT)).isEqualTo(1);
        assertThat(sessions.findUser("h3", NOW).block(WAIT)).isNull();
    }
}
