package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;

/** The HTTP access log: one line a request, the client's address cut to its network by default. */
@ServerTest
@ExtendWith(OutputCaptureExtension.class)
class AccessLogTest extends ServerTestSupport {

    @Test
    void aRequestIsLoggedWithTheClientsAddressCutToItsSlash24(CapturedOutput output) {
        client.get().uri("/api/status?from=access-log-test").exchange().expectStatus().isOk();

        String line = await("the access log line").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> output.getAll().lines().filter(l -> l.contains("/api/status?from=access-log-test"))
                        .findFirst().orElse(null), l -> l != null);
        assertThat(line).contains("reactor.netty.http.server.AccessLog")
                .containsPattern("127\\.0\\.0\\.0/24 - - \\[[^]]+\\] \"GET /api/status\\?from=access-log-test HTTP/1\\.1\" 200 \\d+ \\d+ms")
                .doesNotContain("127.0.0.1");
    }

    @Test
    void anIpv6AddressIsCutToItsSlash48AndAnonymizingCanBeTurnedOff() {
        var remote = new InetSocketAddress("2001:db8:85a3:8d3:1319:8a2e:370:7348", 443);
        assertThat(new AccessLogLines(true).address(remote)).isEqualTo("2001:db8:85a3:0:0:0:0:0/48");
        assertThat(new AccessLogLines(false).address(remote)).isEqualTo("2001:db8:85a3:8d3:1319:8a2e:370:7348");
        assertThat(new AccessLogLines(true).address(new InetSocketAddress("198.51.100.77", 80))).isEqualTo("198.51.100.0/24");
    }
}
