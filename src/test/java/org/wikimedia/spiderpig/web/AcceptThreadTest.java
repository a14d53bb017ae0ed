package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

class AcceptThreadTest {

    private static final Duration SAFETY_NET = Duration.ofMinutes(1);

    @Test
    void acceptsOnItsOwnThreadAndServesOnTheServingLoops() throws Exception {
        AcceptThread accept = new AcceptThread();
        AtomicReference<String> servedOn = new AtomicReference<>();
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .runOn(accept.around(HttpResources.get()))
                .handle((request, response) -> {
                    servedOn.set(Thread.currentThread().getName());
                    return response.sendString(Mono.just("ok"));
                })
                .bindNow(SAFETY_NET);
        try {
            String acceptedOn = server.channel().eventLoop().submit(() -> Thread.currentThread().getName())
                    .get(SAFETY_NET.toMillis(), TimeUnit.MILLISECONDS);
            String body = HttpClient.create().get().uri("http://127.0.0.1:" + server.port() + "/")
                    .responseContent().aggregate().asString().block(SAFETY_NET);

            assertThat(body).isEqualTo("ok");
            assertThat(acceptedOn).startsWith("reactor-http-accept");
            assertThat(servedOn.get()).startsWith("reactor-http-").doesNotStartWith("reactor-http-accept");
        } finally {
            server.disposeNow(SAFETY_NET);
            accept.dispose();
        }
        assertThat(accept.isDisposed()).isTrue();
        assertThat(HttpResources.get().isDisposed()).as("the serving loops are not the accept thread's to dispose").isFalse();
    }
}
