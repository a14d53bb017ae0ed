package org.wikimedia.spiderpig.web;

import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import reactor.core.Disposable;
import reactor.netty.resources.LoopResources;

/**
 * The web server accepts new connections on a thread of its own ({@code reactor-http-accept-*}) rather
 * than on one of the event loops that serve the requests and streams, as Reactor Netty does by default:
 * there the loop takes a few connections between its other work. When thousands of browsers connect at
 * once (a restart, a network blip, a deploy everyone watches), the server took connections from the
 * kernel's accept queue more slowly than they came, the queue (at most {@code net.core.somaxconn}) stayed
 * full for seconds, the kernel dropped handshakes, and reset some connections it had let the client
 * consider open. Accepting is cheap; on its own thread the queue empties as fast as connections arrive,
 * and the requests wait for their loop inside the server instead.
 */
final class AcceptThread implements Disposable {

    private final LoopResources accepting = LoopResources.create("reactor-http-accept", 1, 1, true);

    /** {@code serving} as the loops that serve connections, with this thread accepting them. */
    LoopResources around(LoopResources serving) {
        return new Loops(serving, accepting);
    }

    @Override
    public void dispose() {
        accepting.dispose();
    }

    @Override
    public boolean isDisposed() {
        return accepting.isDisposed();
    }

    /** The serving loops given, and the accepting thread; disposing of it leaves both alone (their owners do). */
    private record Loops(LoopResources serving, LoopResources accepting) implements LoopResources {

        @Override
        public EventLoopGroup onServer(boolean useNative) {
            return serving.onServer(useNative);
        }

        @Override
        public EventLoopGroup onServerSelect(boolean useNative) {
            return accepting.onServerSelect(useNative);
        }

        @Override
        public EventLoopGroup onClient(boolean useNative) {
            return serving.onClient(useNative);
        }

        @Override
        public boolean daemon() {
            return serving.daemon();
        }

        @Override
        public reactor.core.publisher.Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
            return reactor.core.publisher.Mono.empty();
        }
    }
}
