package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;

/** The application's web server takes new connections on {@link AcceptThread}'s thread. */
@ServerTest
class AcceptThreadInServerTest extends ServerTestSupport {

    @Test
    void theServerAcceptsOnItsOwnThread() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            assertThat(socket.isConnected()).isTrue();
        }
        assertThat(Thread.getAllStackTraces().keySet()).map(Thread::getName)
                .anyMatch(name -> name.startsWith("reactor-http-accept"));
    }
}
