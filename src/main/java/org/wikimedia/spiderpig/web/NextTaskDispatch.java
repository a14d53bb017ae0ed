package org.wikimedia.spiderpig.web;

import io.netty.channel.EventLoop;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * Handles each request in the next task of its connection's event loop rather than inside the one that
 * read it.
 *
 * <p>Works around reactor-netty#4361 (Reactor Netty 1.3.7, the version Spring Boot 4.1.0 brings; 1.3.8
 * needs a Netty whose native jars Maven Central lacks here): on a keep-alive connection, a request that
 * arrived while the previous one was still being answered is queued; if that queued request is then
 * answered within the same task (as a refusal thrown before any I/O is), the connection never reads
 * again and the client's next request hangs. Answering no request within the task that dispatched it
 * avoids that path; the cost is one event-loop task per request. Remove with Reactor Netty 1.3.8.
 */
class NextTaskDispatch implements WebFilter, Ordered {

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        if (!(nativeRequest instanceof Connection connection)) {
            return chain.filter(exchange);
        }
        EventLoop loop = connection.channel().eventLoop();
        return Mono.<Void>create(next -> loop.execute(next::success)).then(Mono.defer(() -> chain.filter(exchange)));
    }
}
