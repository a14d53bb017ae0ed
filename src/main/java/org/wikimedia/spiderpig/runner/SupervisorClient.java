package org.wikimedia.spiderpig.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.io.ByteArrayOutputStream;

/**
 * The server's side of a supervisor's socket: one request per connection, a line each way (see
 * {@link org.wikimedia.spiderpig.supervisor.Supervisor}). Blocking: call it on an I/O thread.
 */
final class SupervisorClient {

    private final Path socket;

    SupervisorClient(Path socket) {
        this.socket = socket;
    }

    /** Sends one request and answers the reply; fails when the supervisor cannot be reached. */
    String request(String line) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(256);
            while (channel.read(in) >= 0) {
                in.flip();
                while (in.hasRemaining()) {
                    byte b = in.get();
                    if (b == '\n') {
                        return reply.toString(StandardCharsets.UTF_8);
                    }
                    reply.write(b);
                }
                in.clear();
            }
            throw new IOException("the supervisor closed the connection without answering");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the supervisor at " + socket, e);
        }
    }

    /** Whether the supervisor answers at all. */
    boolean answers() {
        try {
            return request("PING").startsWith("PONG");
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Change notices: a byte whenever the supervisor appended to the spool, {@code E} when the spool is
     * complete. Null when the supervisor cannot be reached.
     */
    Ticks follow() {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap("FOLLOW\n".getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            return new Ticks(channel, selector);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing was set up
                }
            }
            return null;
        }
    }

    /** A FOLLOW connection. */
    static final class Ticks implements AutoCloseable {

        enum Wake { CHANGED, TIMEOUT, COMPLETE, GONE }

        private final SocketChannel channel;
        private final Selector selector;
        private final ByteBuffer buffer = ByteBuffer.allocate(512);

        private Ticks(SocketChannel channel, Selector selector) {
            this.channel = channel;
            this.selector = selector;
        }

        /** Waits up to {@code millis} for a change notice. */
        Wake await(long millis) throws IOException {
            selector.select(millis);
            selector.selectedKeys().clear();
            buffer.clear();
            int read;
            try {
                read = channel.read(buffer);
            } catch (java.net.SocketException reset) {
                // A supervisor that exits with a notice unread resets the connection: it is gone all the same,
                // and the caller looks for its exit file.
                return Wake.GONE;
            }
            if (read < 0) {
                return Wake.GONE;
            }
            if (read == 0) {
                return Wake.TIMEOUT;
            }
            for (int i = 0; i < read; i++) {
                if (buffer.get(i) == 'E') {
                    return Wake.COMPLETE;
                }
            }
            return Wake.CHANGED;
        }

        /** Wakes a thread blocked in {@link #await}. */
        void wakeup() {
            selector.wakeup();
        }

        @Override
        public void close() {
            try {
                selector.close();
                channel.close();
            } catch (IOException ignored) {
                // closing a local socket
            }
        }
    }
}
