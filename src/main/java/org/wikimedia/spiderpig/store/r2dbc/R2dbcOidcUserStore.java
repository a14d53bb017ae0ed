package org.wikimedia.spiderpig.store.r2dbc;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.store.OidcUserStore;
import reactor.core.publisher.Mono;

/** {@link OidcUserStore} in SQL over R2DBC. */
public class R2dbcOidcUserStore implements OidcUserStore {

    private final DatabaseClient db;

    public R2dbcOidcUserStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> save(String name, List<String> groups, Instant signedInAt) {
        return db.sql("INSERT INTO oidc_users (name, groups, signed_in_at) VALUES (:name, :groups, :at)"
                        + " ON CONFLICT (name) DO UPDATE SET groups = excluded.groups, signed_in_at = excluded.signed_in_at")
                .bind("name", name)
                .bind("groups", String.join("\n", groups))
                .bind("at", SqlValues.text(signedInAt))
                .then();
    }

    @Override
    public Mono<List<String>> groups(String name) {
        return db.sql("SELECT groups FROM oidc_users WHERE name = :name")
                .bind("name", name)
                .map(row -> row.get("groups", String.class))
                .one()
                .map(text -> text.isEmpty() ? List.<String>of() : Arrays.asList(text.split("\n")));
    }
}
