package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.RepeatedTest;
import org.wikimedia.spiderpig.support.RawHttp;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;

/**
 * A keep-alive connection keeps answering whatever order its requests come in; see {@link NextTaskDispatch}
 * for the Reactor Netty bug this guards against.
 */
@ServerTest
class KeepAliveTest extends ServerTestSupport {

    /** Far beyond any answer on a busy machine; only a connection that stopped reading reaches it. */
    private static final int SAFETY_NET_MILLIS = 60_000;

    @RepeatedTest(5)
    void aRefusalQueuedBehindASlowerAnswerDoesNotStallTheConnection() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(SAFETY_NET_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // One write: the second request arrives while the first (a store lookup) is still being
            // answered, so the server queues it; it is then refused without any I/O (local mode does not
            // serve a request a proxy forwarded).
            out.write((get("/api/jobs/987654") + get("/api/jobs/987654/events", "X-Forwarded-For: 203.0.113.9\r\n"))
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 404");
            assertThat(readResponse(in)).startsWith("HTTP/1.1 401");

            out.write(get("/api/status").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
        }
    }

    private static String get(String path) {
        return get(path, "");
    }

    private static String get(String path, String moreHeaders) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n" + moreHeaders + "\r\n";
    }

    private static String readResponse(InputStream in) throws IOException {
        RawHttp.Response response = RawHttp.readResponse(in);
        return response.head() + response.text();
    }
}
