package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.wikimedia.spiderpig.store.AuditStore;
import org.wikimedia.spiderpig.store.AuditStore.AuditEntry;
import org.wikimedia.spiderpig.store.AuditStore.AuditQuery;
import org.wikimedia.spiderpig.support.StoreTestDatabase;

/** What every {@link AuditStore} promises, on each database the server supports. */
@ParameterizedClass
@EnumSource(StoreTestDatabase.Kind.class)
class AuditStoreContractTest extends DatabaseContract {

    private static final Instant NOW = Instant.parse("2026-11-30T05:00:00.5Z");

    private AuditStore audit;

    AuditStoreContractTest(StoreTestDatabase.Kind kind) {
        super(kind);
    }

    @BeforeEach
    void openStore() {
        audit = new R2dbcAuditStore(db());
    }

    @Test
    void entriesAreListedNewestFirstFilteredAndPaged() {
        audit.append(NOW, "alice", "job.start", "10.0.0.1", 7L, "Backport 1").block(WAIT);
        audit.append(NOW.plusSeconds(1), "bob", "job.answer", null, 7L, null).block(WAIT);
        audit.append(NOW.plusSeconds(2), "alice", "session.create", "10.0.0.2", null, null).block(WAIT);

        var all = audit.find(new AuditQuery(null, null, null, null, 10)).collectList().block(WAIT);
        assertThat(all).extracting(AuditEntry::action).containsExactly("session.create", "job.answer", "job.start");
        assertThat(all.get(2)).isEqualTo(new AuditEntry(all.get(2).id(), NOW, "alice", "job.start", "10.0.0.1", 7L,
                "Backport 1"));
        assertThat(all.get(1).address()).isNull();
        assertThat(all.get(0).jobId()).isNull();

        assertThat(audit.find(new AuditQuery("alice", null, null, null, 10)).map(AuditEntry::action).collectList()
                .block(WAIT)).containsExactly("session.create", "job.start");
        assertThat(audit.find(new AuditQuery(null, "job.answer", 7L, null, 10)).map(AuditEntry::user).collectList()
                .block(WAIT)).containsExactly("bob");
        assertThat(audit.find(new AuditQuery(null, null, null, all.get(0).id(), 1)).map(AuditEntry::action)
                .collectList().block(WAIT)).containsExactly("job.answer");
    }
}
