package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.security.AllowedNetworks;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** /actuator/** answers loopback and the configured networks only; everyone else gets a 403 problem. */
class ManagementAccessFilterTest {

    private final ManagementAccessFilter filter =
            new ManagementAccessFilter("/actuator", AllowedNetworks.of(List.of("10.64.0.0/16")));

    private static MockServerWebExchange request(String path, String from) {
        return MockServerWebExchange.from(MockServerHttpRequest.get(path)
                .remoteAddress(new InetSocketAddress(from, 40000)));
    }

    private boolean passes(MockServerWebExchange exchange) {
        AtomicBoolean passed = new AtomicBoolean();
        filter.filter(exchange, e -> Mono.fromRunnable(() -> passed.set(true))).onErrorResume(Problem.class, e -> Mono.empty())
                .block();
        return passed.get();
    }

    @Test
    void loopbackAndConfiguredNetworksReachTheEndpoints() {
        assertThat(passes(request("/actuator/health", "127.0.0.1"))).isTrue();
        assertThat(passes(request("/actuator/prometheus", "::1"))).isTrue();
        assertThat(passes(request("/actuator/health/readiness", "10.64.3.4"))).isTrue();
    }

    @Test
    void anyoneElseGetsA403Problem() {
        StepVerifier.create(filter.filter(request("/actuator/prometheus", "192.0.2.9"), e -> Mono.empty()))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(Problem.class);
                    Problem problem = (Problem) error;
                    assertThat(problem.status()).isEqualTo(403);
                    assertThat(problem.type()).isEqualTo("forbidden-network");
                    assertThat(problem.detail()).contains("192.0.2.9").contains("spiderpig.management.allowed-networks");
                })
                .verify();
        assertThat(passes(request("/actuator", "192.0.2.9"))).isFalse();
    }

    @Test
    void otherAddressesAreNotItsConcern() {
        assertThat(passes(request("/api/status", "192.0.2.9"))).isTrue();
        assertThat(passes(request("/actuatorish", "192.0.2.9"))).isTrue();
    }
}
