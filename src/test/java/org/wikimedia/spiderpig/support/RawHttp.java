package org.wikimedia.spiderpig.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 spoken over a plain socket, for requests an HTTP client will not send (broken request lines,
 * bad headers, raw bytes) and for exact control of a keep-alive connection.
 */
public final class RawHttp {

    /** Far beyond any answer on a busy machine; only a connection that stopped answering reaches it. */
    private static final int SAFETY_NET_MILLIS = 60_000;

    private RawHttp() {
    }

    /** A response: its status, its head (status line and headers) and its body, de-chunked. */
    public record Response(int status, String head, byte[] body) {

        /** A header's value (the first, names compared ignoring case), or null. */
        public String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return head.lines()
                    .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).trim())
                    .findFirst().orElse(null);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Sends the bytes on a new connection and reads the one response to them. */
    public static Response exchange(int port, byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(SAFETY_NET_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return readResponse(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One response, head and body (by Content-Length or chunks), from a connection that may carry more. */
    public static Response readResponse(InputStream in) throws IOException {
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
        int status = Integer.parseInt(head.substring(head.indexOf(' ') + 1, head.indexOf(' ') + 4));
        return new Response(status, head, body.toByteArray());
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
