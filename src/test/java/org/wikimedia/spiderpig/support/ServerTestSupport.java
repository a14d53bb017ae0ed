package org.wikimedia.spiderpig.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What every {@link ServerTest} uses: the server's port, a test client, and the API over it. */
public abstract class ServerTestSupport {

    @LocalServerPort
    protected int port;

    @Autowired
    protected WebTestClient client;

    protected Api api;

    @BeforeEach
    void connectApi() {
        api = new Api(client);
    }
}
