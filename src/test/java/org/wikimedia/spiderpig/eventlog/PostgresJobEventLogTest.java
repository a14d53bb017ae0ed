package org.wikimedia.spiderpig.eventlog;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The event log contract on PostgreSQL ({@code job_events} and its notices). */
class PostgresJobEventLogTest extends JobEventLogContract {

    static PostgresLogSchema schema;
    final List<PostgresLogSchema.Server> servers = new ArrayList<>();

    @BeforeAll
    static void createDatabase() {
        schema = PostgresLogSchema.create();
    }

    @AfterAll
    static void dropDatabase() {
        if (schema != null) {
            schema.close();
        }
    }

    /** Runs after the contract's own set-up, before anything is appended. */
    @BeforeEach
    void emptyTheTable() {
        schema.empty();
    }

    @AfterEach
    void closeServers() {
        fixture.close();
        servers.forEach(PostgresLogSchema.Server::close);
    }

    @Override
    EventLogFixture newFixture(EventLogSettings settings) {
        PostgresLogSchema.Server server = schema.server();
        servers.add(server);
        return new EventLogFixture((io, delivery, clock, logSettings) ->
                new SharedJobEventLogs(server.logs(), io, delivery, clock, logSettings), settings);
    }
}
