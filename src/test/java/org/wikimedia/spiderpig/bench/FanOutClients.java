package org.wikimedia.spiderpig.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fan-out benchmark's clients, in a JVM of their own and as cheap as a load generator can be, so that
 * what the server's latency measures is the server and not the harness (both share the machine's cores):
 * plain Netty sockets (epoll where available) on a few event-loop threads, each sending a raw
 * {@code GET <path>} and reading the answer's bytes with no HTTP codec: the status line and headers once,
 * then the chunked framing by a small state machine, the SSE body by a search that counts
 * {@code "tick } (every client) and, for every <em>sample-every</em>th client, parses the line events'
 * {@code ts} and {@code tick <n> <µs>} for {@link LatencyStages}. The same for SpiderPig and the reference.
 *
 * <pre>java -cp … FanOutClients &lt;event-loop threads&gt;</pre>
 *
 * then, on stdin, one line per round: {@code <clients> <sample every> <results file> <url>…}. Clients are spread over the urls in blocks (the first ones on the first url). On stdout: {@code connected
 * <true|false>} once every client has its {@code :connected} comment or failed (false: not all within 5
 * minutes), {@code ended <true|false> <CPU ns>} once every stream ended (with this process's CPU time then),
 * and {@code results} once the results file is written: a line {@code client <index> <ticks> <failure or ->}
 * per client and {@code sample <client> <line> <written> <logged> <read>} (epoch µs) per sampled line read.
 */
public final class FanOutClients {

    /** {@code "tic}: what comes before the {@code k} of a tick line's text. */
    private static final int QUOTE_TIC = ('"' << 24) | ('t' << 16) | ('i' << 8) | 'c';
    private static final byte[] CONNECTED_TEXT = ":connected".getBytes(StandardCharsets.US_ASCII);
    /** A line event's {@code ts} (when the server logged it) and its tick's number and time written. */
    private static final Pattern TICK = Pattern.compile(
            "\"ts\":\"([^\"]+)\",\"line\":\\d+,\"stream\":\"\\w+\",\"text\":\"tick (\\d+) (\\d+)\"");

    private FanOutClients() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup loops = epoll ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
        // Thousands of connects at once can overflow the server's accept queue (somaxconn): the kernel drops
        // those SYNs and the client retries them after 1, 3, 7, 15, 31 s, past Netty's default 30 s
        // connect timeout; allow the retries.
        Bootstrap bootstrap = new Bootstrap().group(loops)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TimeUnit.MINUTES.toMillis(2));
        // One process for all rounds, so that the clients' JIT is warm by the measured round as the server's
        // is: a process started for each round compiled its read path during the first seconds of every
        // round, and those seconds' lines were read late from SpiderPig and the reference alike.
        BufferedReader rounds = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String round;
        while ((round = rounds.readLine()) != null && !round.isBlank()) {
            String[] words = round.trim().split(" ");
            List<URI> targets = Arrays.stream(words, 3, words.length).map(URI::create).toList();
            run(bootstrap, Integer.parseInt(words[0]), Integer.parseInt(words[1]), Path.of(words[2]), targets);
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static void run(Bootstrap bootstrap, int clients, int sampleEvery, Path results, List<URI> targets)
            throws Exception {
        CountDownLatch connected = new CountDownLatch(clients);
        CountDownLatch ended = new CountDownLatch(clients);
        List<Client> all = new ArrayList<>();
        Connects connects = new Connects(bootstrap, all, Integer.getInteger(CONNECTS_IN_FLIGHT, Integer.MAX_VALUE));
        for (int i = 0; i < clients; i++) {
            URI target = targets.get((int) ((long) i * targets.size() / clients));
            all.add(new Client(i, i % sampleEvery == 0, target, connected, ended, connects));
        }
        connects.start();
        System.out.println("connected " + connected.await(5, TimeUnit.MINUTES));
        boolean allEnded = ended.await(5, TimeUnit.MINUTES);
        System.out.println("ended " + allEnded + " " + ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());
        write(results, all);
        System.out.println("results");
    }

    /**
     * The system property that bounds the clients between their connect and their stream's {@code :connected}
     * (or failure); the next client connects when one of those is done. A crowd of browsers does not open
     * 10,000 connections in the same millisecond; all at once, they overflowed the server's accept queue
     * (net.core.somaxconn, 4,096 here) for tens of seconds, and the kernel reset some of the handshakes it
     * had dropped (docs/benchmarks/fan-out.md).
     */
    static final String CONNECTS_IN_FLIGHT = "spiderpig.benchmark.connects-in-flight";

    /** Starts the clients' connects in order, at most {@code inFlight} of them not yet connected at a time. */
    private static final class Connects {
        private final Bootstrap bootstrap;
        private final List<Client> clients;
        private final int inFlight;
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        Connects(Bootstrap bootstrap, List<Client> clients, int inFlight) {
            this.bootstrap = bootstrap;
            this.clients = clients;
            this.inFlight = Math.max(1, inFlight);
        }

        void start() {
            for (int i = 0; i < Math.min(inFlight, clients.size()); i++) {
                connectNext();
            }
        }

        /** Connects the next client, if any is left; called once per client that connected or failed. */
        void connectNext() {
            int index = next.getAndIncrement();
            if (index >= clients.size()) {
                return;
            }
            Client client = clients.get(index);
            bootstrap.clone().handler(client).connect(client.target.getHost(), client.target.getPort())
                    .addListener((ChannelFutureListener) future -> {
                        if (!future.isSuccess()) {
                            client.fail(future.cause());
                        }
                    });
        }
    }

    private static void write(Path results, List<Client> all) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(results)) {
            for (Client client : all) {
                String failure = client.failure == null ? "-" : client.failure.replace('\n', ' ');
                out.write("client " + client.index + " " + client.ticks + " " + failure + "\n");
                for (long[] sample : client.samples) {
                    out.write("sample " + client.index + " " + sample[0] + " " + sample[1] + " " + sample[2] + " "
                            + sample[3] + "\n");
                }
            }
        }
    }

    /** One client's connection: the raw request, then its answer read byte by byte. */
    private static final class Client extends ChannelInboundHandlerAdapter {
        private static final int HEADERS = 0;
        private static final int SIZE = 1;
        private static final int SIZE_LF = 2;
        private static final int DATA = 3;
        private static final int DATA_CR = 4;
        private static final int DATA_LF = 5;
        private static final int LAST = 6;
        private static final int UNCHUNKED = 7;
        private static final int DONE = 8;

        final int index;
        final List<long[]> samples = new ArrayList<>();
        final boolean sampled;
        final URI target;
        private final CountDownLatch connected;
        private final Connects connects;
        private final CountDownLatch ended;
        private final StringBuilder headers = new StringBuilder();
        private final BytePattern connectedComment = new BytePattern(CONNECTED_TEXT);
        /** The last four body bytes of the reads and chunks before, the last in the lowest byte. */
        private int lastFour;
        /** The body so far ended in {@code "tick}: a space next counts a tick. */
        private boolean tickAtEnd;
        private byte[] pending = new byte[0];
        private int pendingLength;
        private int state = HEADERS;
        private long remaining;
        long ticks;
        volatile String failure;
        private boolean signalledConnected;
        private boolean signalledEnded;

        Client(int index, boolean sampled, URI target, CountDownLatch connected, CountDownLatch ended,
               Connects connects) {
            this.index = index;
            this.connects = connects;
            this.sampled = sampled;
            this.target = target;
            this.connected = connected;
            this.ended = ended;
        }

        @Override
        public void channelActive(ChannelHandlerContext context) {
            String request = "GET " + target.getRawPath() + " HTTP/1.1\r\nHost: " + target.getHost() + ":"
                    + target.getPort() + "\r\nAccept: text/event-stream\r\n\r\n";
            context.writeAndFlush(context.alloc().buffer().writeBytes(request.getBytes(StandardCharsets.US_ASCII)));
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            long now = sampled ? micros(Instant.now()) : 0;
            ByteBuf bytes = (ByteBuf) message;
            try {
                read(bytes);
            } finally {
                bytes.release();
            }
            if (state == HEADERS && headers.length() > 0 && headers.indexOf("\r\n\r\n") >= 0) {
                fail("the answer's head ended the stream: " + headers);
                context.close();
            }
            if (sampled && pendingLength > 0) {
                parseSamples(now);
            }
            if (state == DONE) {
                end();
                context.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            if (state != DONE && state != UNCHUNKED) {
                fail("closed before the end of its stream (" + ticks + " ticks)");
            }
            end();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            fail(cause.toString());
            context.close();
        }

        /** The framing byte by byte; the body's bytes in bulk, a chunk's data (or all that came of it) at once. */
        private void read(ByteBuf bytes) {
            int at = bytes.readerIndex();
            int end = bytes.writerIndex();
            while (at < end) {
                if (state == UNCHUNKED) {
                    body(bytes, at, end);
                    at = end;
                } else if (state == DATA) {
                    int to = (int) Math.min(end, at + remaining);
                    body(bytes, at, to);
                    remaining -= to - at;
                    if (remaining == 0) {
                        state = DATA_CR;
                    }
                    at = to;
                } else {
                    process(bytes.getByte(at++));
                }
            }
        }

        /** One byte of the answer's head or chunked framing. */
        private void process(byte b) {
            switch (state) {
                case HEADERS -> head(b);
                case SIZE -> {
                    int digit = Character.digit(b, 16);
                    if (digit >= 0) {
                        remaining = remaining * 16 + digit;
                    } else if (b == '\r') {
                        state = SIZE_LF;
                    }
                }
                case SIZE_LF -> state = remaining == 0 ? LAST : DATA;
                case DATA_CR -> state = DATA_LF;
                case DATA_LF -> state = SIZE;
                case LAST -> {
                    // No trailers: the empty line after the last chunk's size ends the answer.
                    if (b == '\n') {
                        state = DONE;
                    }
                }
                default -> {
                }
            }
        }

        private void head(byte b) {
            headers.append((char) b);
            int length = headers.length();
            if (b == '\n' && length >= 4 && headers.charAt(length - 2) == '\r' && headers.charAt(length - 3) == '\n') {
                String head = headers.toString();
                if (!head.startsWith("HTTP/1.1 200")) {
                    return; // left in HEADERS: channelRead reports it
                }
                state = head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked") ? SIZE : UNCHUNKED;
                remaining = 0;
                headers.setLength(0);
            }
        }

        private void body(ByteBuf bytes, int from, int to) {
            for (int i = from; i < to && !signalledConnected; i++) {
                if (connectedComment.matches(bytes.getByte(i))) {
                    signalConnected();
                }
            }
            countTicks(bytes, from, to);
            if (sampled) {
                int length = to - from;
                if (pendingLength + length > pending.length) {
                    pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
                    // Grown on demand: with 10,000 clients all sampled (manyIdleSubscribers), 64 KiB each would not fit the heap.
                }
                bytes.getBytes(from, pending, pendingLength, length);
                pendingLength += length;
            }
        }

        /**
         * Counts {@code "tick } in the body: a search for its {@code k} (Netty's, 8 bytes at a time), then a
         * look at the bytes around it, also across the ends of chunks and reads. A byte-by-byte pattern match
         * over the 2 GB that 1,000 clients read in 10 s cost as much CPU as the server.
         */
        private void countTicks(ByteBuf bytes, int from, int to) {
            if (from >= to) {
                return;
            }
            if (tickAtEnd) {
                tickAtEnd = false;
                if (bytes.getByte(from) == ' ') {
                    ticks++;
                }
            }
            int at = from;
            int k;
            while ((k = bytes.indexOf(at, to, (byte) 'k')) >= 0) {
                if (fourBefore(bytes, from, k) == QUOTE_TIC) {
                    if (k + 1 < to) {
                        if (bytes.getByte(k + 1) == ' ') {
                            ticks++;
                        }
                    } else {
                        tickAtEnd = true;
                    }
                }
                at = k + 1;
            }
            for (int i = Math.max(from, to - 4); i < to; i++) {
                lastFour = (lastFour << 8) | (bytes.getByte(i) & 0xff);
            }
        }

        /** The four body bytes before {@code index}, the first in the highest byte. */
        private int fourBefore(ByteBuf bytes, int from, int index) {
            if (index - from >= 4) {
                return bytes.getInt(index - 4);
            }
            int four = lastFour;
            for (int i = from; i < index; i++) {
                four = (four << 8) | (bytes.getByte(i) & 0xff);
            }
            return four;
        }

        /** The complete events read so far: each tick's line, times written and logged, and now. */
        private void parseSamples(long now) {
            int end = lastEventEnd();
            if (end < 0) {
                return;
            }
            Matcher matcher = TICK.matcher(new String(pending, 0, end, StandardCharsets.UTF_8));
            while (matcher.find()) {
                samples.add(new long[] {Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(3)),
                        micros(Instant.parse(matcher.group(1))), now});
            }
            System.arraycopy(pending, end, pending, 0, pendingLength - end);
            pendingLength -= end;
        }

        private int lastEventEnd() {
            for (int i = pendingLength - 1; i > 0; i--) {
                if (pending[i] == '\n' && pending[i - 1] == '\n') {
                    return i + 1;
                }
            }
            return -1;
        }

        synchronized void fail(String why) {
            if (failure == null) {
                failure = why;
            }
            signalConnected();
            end();
        }

        void fail(Throwable cause) {
            fail(cause.toString());
        }

        private synchronized void signalConnected() {
            if (!signalledConnected) {
                signalledConnected = true;
                connected.countDown();
                connects.connectNext();
            }
        }

        private synchronized void end() {
            if (!signalledEnded) {
                signalledEnded = true;
                // A stream that ended before its :connected must not hold the wait for the others.
                signalConnected();
                ended.countDown();
            }
        }
    }

    /** Knuth-Morris-Pratt over a stream of bytes, so that a pattern split between two reads still counts. */
    private static final class BytePattern {
        private final byte[] pattern;
        private final int[] borders;
        private int matched;

        BytePattern(byte[] pattern) {
            this.pattern = pattern;
            this.borders = borders(pattern);
        }

        /** True when this byte completes the pattern. */
        boolean matches(byte b) {
            while (matched > 0 && b != pattern[matched]) {
                matched = borders[matched - 1];
            }
            if (b == pattern[matched]) {
                matched++;
            }
            if (matched == pattern.length) {
                matched = borders[matched - 1];
                return true;
            }
            return false;
        }

        /** For each prefix of the pattern, the length of its longest proper prefix that is also its suffix. */
        private static int[] borders(byte[] pattern) {
            int[] borders = new int[pattern.length];
            for (int i = 1, k = 0; i < pattern.length; i++) {
                while (k > 0 && pattern[i] != pattern[k]) {
                    k = borders[k - 1];
                }
                if (pattern[i] == pattern[k]) {
                    k++;
                }
                borders[i] = k;
            }
            return borders;
        }
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }
}
