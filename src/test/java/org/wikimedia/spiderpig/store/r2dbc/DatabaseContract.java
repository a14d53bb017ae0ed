package org.wikimedia.spiderpig.store.r2dbc;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.support.StoreTestDatabase;
import tools.jackson.databind.json.JsonMapper;

/**
 * A store contract test's database: a fresh one per test, of the kind the subclass is run for. Subclasses are
 * {@code @ParameterizedClass @EnumSource(StoreTestDatabase.Kind.class)}, so that each runs on every database.
 */
abstract class DatabaseContract {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final StoreTestDatabase.Kind kind;
    private StoreTestDatabase database;

    DatabaseContract(StoreTestDatabase.Kind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void openDatabase() {
        database = StoreTestDatabase.create(kind);
    }

    @AfterEach
    void closeDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    DatabaseClient db() {
        return database.client();
    }
}
