package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.wikimedia.spiderpig.store.OidcUserStore;
import org.wikimedia.spiderpig.support.StoreTestDatabase;

/** What every {@link OidcUserStore} promises, on each database the server supports. */
@ParameterizedClass
@EnumSource(StoreTestDatabase.Kind.class)
class OidcUserStoreContractTest extends DatabaseContract {

    private static final Instant NOW = Instant.parse("2026-11-30T05:00:00Z");

    private OidcUserStore users;

    OidcUserStoreContractTest(StoreTestDatabase.Kind kind) {
        super(kind);
    }

    @BeforeEach
    void openStore() {
        users = new R2dbcOidcUserStore(db());
    }

    @Test
    void theGroupsOfTheLastSignInAreKept() {
        users.save("alice", List.of("cn=deployers,ou=groups,dc=example", "ops"), NOW).block(WAIT);
        assertThat(users.groups("alice").block(WAIT)).containsExactly("cn=deployers,ou=groups,dc=example", "ops");

        users.save("alice", List.of(), NOW.plusSeconds(60)).block(WAIT);
        assertThat(users.groups("alice").block(WAIT)).isEmpty();
        assertThat(users.groups("bob").block(WAIT)).isNull();
    }
}
