package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.wikimedia.spiderpig.store.TokenStore;
import org.wikimedia.spiderpig.store.TokenStore.StoredToken;
import org.wikimedia.spiderpig.support.StoreTestDatabase;

/** What every {@link TokenStore} promises, on each database the server supports. */
@ParameterizedClass
@EnumSource(StoreTestDatabase.Kind.class)
class TokenStoreContractTest extends DatabaseContract {

    private static final Instant NOW = Instant.parse("2026-11-30T05:00:00Z");
    private static final Instant EXPIRES = Instant.parse("2027-11-30T05:00:00.999Z");

    private TokenStore tokens;

    TokenStoreContractTest(StoreTestDatabase.Kind kind) {
        super(kind);
    }

    @BeforeEach
    void openStore() {
        tokens = new R2dbcTokenStore(db());
    }

    @Test
    void aTokenIsFoundByItsHashUntilItExpiresAndRemembersItsLastUse() {
        StoredToken created = tokens.create("hash-a", "alice", "ci", "deployer", NOW, EXPIRES).block(WAIT);

        assertThat(created).isEqualTo(new StoredToken(created.id(), "alice", "ci", "deployer", NOW, EXPIRES, null));
        tokens.touch(created.id(), NOW.plusSeconds(5)).block(WAIT);
        assertThat(tokens.findValid("hash-a", NOW).block(WAIT).lastUsedAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(tokens.findValid("hash-a", EXPIRES).block(WAIT)).isNull();
        assertThat(tokens.findValid("hash-b", NOW).block(WAIT)).isNull();
    }

    @Test
    void onlyItsOwnerOrAnAdminRevokesATokenAndOnlyOnce() {
        StoredToken first = tokens.create("hash-a", "alice", "one", "viewer", NOW, EXPIRES).block(WAIT);
        StoredToken second = tokens.create("hash-b", "alice", "two", "viewer", NOW, EXPIRES).block(WAIT);
        tokens.create("hash-c", "bob", "three", "viewer", NOW, EXPIRES).block(WAIT);

        assertThat(second.id()).isGreaterThan(first.id());
        assertThat(tokens.forOwner("alice").map(StoredToken::name).collectList().block(WAIT)).containsExactly("one", "two");
        assertThat(tokens.revoke(first.id(), "bob", NOW).block(WAIT)).isFalse();
        assertThat(tokens.revoke(first.id(), "alice", NOW).block(WAIT)).isTrue();
        assertThat(tokens.revoke(first.id(), null, NOW).block(WAIT)).isFalse();
        assertThat(tokens.revoke(second.id(), null, NOW).block(WAIT)).isTrue();
        assertThat(tokens.findValid("hash-a", NOW).block(WAIT)).isNull();
        assertThat(tokens.forOwner("alice").collectList().block(WAIT)).isEmpty();
    }
}
