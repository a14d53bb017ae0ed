package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.RepeatedTest;
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
            // answered, so the server queues it; it is then refused without any I/O.
            out.write((get("/api/jobs/987654") + get("/api/jobs/987654/events?unmasked=true"))
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 404");
            assertThat(readResponse(in)).startsWith("HTTP/1.1 403");

            out.write(get("/api/status").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n";
    }

    /** One response, head and body (by Content-Length or chunks), as text. */
    private static String readResponse(InputStream in) throws IOException {
        String head = readHead(in);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String lower = head.toLowerCase(Locale.ROOT);
        int length = lower.indexOf("\r\ncontent-length:");
        if (length >= 0) {
            int start = length + "\r\ncontent-length:".length();
            body.write(in.readNBytes(Integer.parseInt(lower.substring(start, lower.indexOf("\r\n", start)).trim())));
        } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
            for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
                body.write(in.readNBytes(size));
                in.readNBytes(2);
            }
            in.readNBytes(2);
        }
        return head + body.toString(StandardCharsets.UTF_8);
    }

    private static int chunkSize(InputStream in) throws IOException {
        return Integer.parseInt(readLine(in).trim(), 16);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            head.append(line).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            assertThat(b).as("the connection closed mid-response").isNotNegative();
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
