package org.wikimedia.spiderpig.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.wikimedia.spiderpig.support.ServerProcess;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * The physical limit beside which the fan-out benchmark reports SpiderPig: a bare Netty HTTP server (no
 * Spring, no Reactor, no event log) in a JVM of its own. {@code GET /events} opens an SSE stream (a
 * {@code :connected} comment first); {@code POST /start} then writes {@code lines} SSE messages shaped
 * like SpiderPig's output events, at {@code rate} a second, each encoded once into one pooled direct
 * buffer that every stream gets slices of: one task per event loop writes each of its streams what it
 * has not yet sent as one slice, then flushes (so a wake that finds many lines writes them at once), and
 * ends every stream after the last line. Paced as SpiderPig's fan-out is ({@code pace}: the least time in
 * nanoseconds between two writes of a loop, 0 for none), so that both write the same number of times.
 *
 * <pre>java -cp … NettyReferenceServer &lt;port&gt; &lt;lines&gt; &lt;rate&gt; &lt;event-loop threads&gt; [&lt;pace&gt;]</pre>
 */
public final class NettyReferenceServer {

    /** As many as Reactor Netty gives the server on a 2-core machine (at least 4). */
    private static final int EVENT_LOOPS = Math.max(4, Runtime.getRuntime().availableProcessors());
    private static final byte[] CONNECTED = ":connected\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Map<EventLoop, Loop> loops = new ConcurrentHashMap<>();
    private final long lines;
    private final double rate;
    private final long paceNanos;
    private volatile Output current;

    private NettyReferenceServer(long lines, double rate, long paceNanos) {
        this.lines = lines;
        this.rate = rate;
        this.paceNanos = paceNanos;
    }

    /**
     * One round's output: every line appended to one direct buffer, big enough for all of them, so that
     * a stream's next write is a slice of it however many lines it spans.
     */
    private static final class Output {
        final ByteBuf bytes;
        volatile int published;
        volatile boolean ended;

        Output(int capacity) {
            bytes = PooledByteBufAllocator.DEFAULT.directBuffer(capacity, capacity);
        }
    }

    /** The streams of one event loop, written by one task on that loop whenever there is more output. */
    private final class Loop implements Runnable {
        final EventLoop executor;
        final List<Stream> streams = new ArrayList<>();
        final AtomicBoolean scheduled = new AtomicBoolean();
        volatile long nextRunAt = System.nanoTime();

        Loop(EventLoop executor) {
            this.executor = executor;
        }

        void wake() {
            if (scheduled.compareAndSet(false, true)) {
                long wait = nextRunAt - System.nanoTime();
                if (wait > 0) {
                    executor.schedule(this, wait, TimeUnit.NANOSECONDS);
                } else {
                    executor.execute(this);
                }
            }
        }

        @Override
        public void run() {
            scheduled.set(false);
            nextRunAt = System.nanoTime() + paceNanos;
            Output output = current;
            if (output == null) {
                return;
            }
            boolean ended = output.ended;
            int published = output.published;
            for (Stream stream : streams) {
                if (stream.output != output) {
                    stream.output = output;
                    stream.cursor = 0;
                }
                if (stream.cursor < published) {
                    stream.channel.write(new DefaultHttpContent(output.bytes.retainedSlice(stream.cursor,
                            published - stream.cursor)));
                    stream.cursor = published;
                }
                if (ended) {
                    stream.channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                            .addListener(ChannelFutureListener.CLOSE);
                } else {
                    stream.channel.flush();
                }
            }
            if (ended) {
                streams.clear();
            }
        }
    }

    private static final class Stream {
        final Channel channel;
        Output output;
        int cursor;

        Stream(Channel channel) {
            this.channel = channel;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        NettyReferenceServer server = new NettyReferenceServer(Long.parseLong(args[1]), Double.parseDouble(args[2]),
                args.length > 4 ? Long.parseLong(args[4]) : 0);
        int threads = Integer.parseInt(args[3]);
        // The transport Reactor Netty picks too: epoll where it is available.
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        EventLoopGroup workers = epoll ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Channel listening = new ServerBootstrap().group(boss, workers)
                .channel(type)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                                new Requests(server));
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        System.out.println("listening on " + port + (epoll ? " (epoll)" : " (nio)"));
        listening.closeFuture().sync();
    }

    private static final class Requests extends SimpleChannelInboundHandler<HttpRequest> {
        private final NettyReferenceServer server;

        Requests(NettyReferenceServer server) {
            this.server = server;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, HttpRequest request) {
            if (request.method().equals(HttpMethod.GET) && request.uri().startsWith("/events")) {
                DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                        .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
                context.write(response);
                context.writeAndFlush(new DefaultHttpContent(context.alloc().buffer().writeBytes(CONNECTED)));
                server.loops.computeIfAbsent(context.channel().eventLoop(), server::newLoop).streams
                        .add(new Stream(context.channel()));
                return;
            }
            if (request.method().equals(HttpMethod.POST) && request.uri().startsWith("/start")) {
                Thread ticker = new Thread(server::tick, "ticker");
                ticker.start();
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    request.method().equals(HttpMethod.POST) ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND);
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            context.writeAndFlush(response);
        }
    }

    private Loop newLoop(EventLoop executor) {
        return new Loop(executor);
    }

    /** Paced like {@link LineTicker}; each line stamped with the time it is handed to the event loops. */
    private void tick() {
        Output output = new Output((int) Math.min(Integer.MAX_VALUE - 8, lines * 256 + 1024));
        current = output;
        long start = System.nanoTime();
        for (long i = 1; i <= lines; i++) {
            long wait = start + (long) ((i - 1) * 1e9 / rate) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing the load, not synchronizing a test
            }
            Instant now = Instant.now();
            long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
            String message = "id:" + (i + 1) + "\nevent:line\ndata:{\"seq\":" + (i + 1) + ",\"ts\":\"" + now
                    + "\",\"line\":" + i + ",\"stream\":\"stdout\",\"text\":\"tick " + i + " " + micros
                    + "\",\"sensitive\":false}\n\n";
            output.bytes.writeCharSequence(message, StandardCharsets.UTF_8);
            output.published = output.bytes.writerIndex();
            loops.values().forEach(Loop::wake);
        }
        output.ended = true;
        loops.values().forEach(Loop::wake);
    }

    /** The reference server in a JVM of its own, like {@code ServerProcess}: started, then closed. */
    static final class Launched implements AutoCloseable {
        private final Process process;
        private final int port;

        private Launched(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Launched start(Path directory, long lines, double rate, Duration pace) throws IOException {
            int port = ServerProcess.freePort();
            Path output = directory.resolve("reference-" + port + ".log");
            Files.createDirectories(directory);
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), NettyReferenceServer.class.getName(),
                    Integer.toString(port), Long.toString(lines), Double.toString(rate), Integer.toString(EVENT_LOOPS),
                    Long.toString(pace.toNanos()))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            Launched launched = new Launched(process, port);
            Awaitility.await("the reference server listens").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("the reference server exited", () -> !process.isAlive())
                    .until(() -> Files.readString(output).contains("listening"));
            return launched;
        }

        long pid() {
            return process.pid();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + port;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
