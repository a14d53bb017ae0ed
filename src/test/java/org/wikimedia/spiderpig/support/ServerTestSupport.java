package org.wikimedia.spiderpig.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What every {@link ServerTest} uses: the server's port, a test client, and the API over it. */
public abstract class ServerTestSupport {

    @LocalServerPort
    protected int port;

    @Autowired
    protected WebTestClient client;

    protected Api api;

    /** Spring calls this after the test class's own settings, so an {@link OnPostgresql} run's override them. */
    @DynamicPropertySource
    static void storeOfAnOnPostgresqlRun(DynamicPropertyRegistry registry) {
        PostgresServerDatabase.registerWhenOnPostgresql(registry);
    }

    @BeforeEach
    void connectApi() {
        api = new Api(client);
    }
}
