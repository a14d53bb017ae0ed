package org.wikimedia.spiderpig.web;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.support.FakeGerrit;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;

/** A configured staging directory that is not there and a train-blockers API that is down: warnings, not errors. */
@ServerTest
class TrainStatusFailuresApiTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-train-down");
    static final FakeGerrit BLOCKERS = new FakeGerrit().answer("api", new FakeGerrit.Answer(500, "oops", false));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spiderpig.data-dir", DATA::toString);
        registry.add("spiderpig.train.staging-dir", () -> DATA.resolve("no-such-staging").toString());
        registry.add("spiderpig.train.blockers-url", () -> BLOCKERS.url() + "/changes/api");
        registry.add("spiderpig.train.timeout", () -> "20s");
    }

    @AfterAll
    static void stop() {
        BLOCKERS.close();
    }

    @Test
    void everyFailingSourceIsAWarning() {
        client.get().uri("/api/train/status").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.groups.length()").isEqualTo(0)
                .jsonPath("$.trainVersion").doesNotExist()
                .jsonPath("$.blocker").doesNotExist()
                .jsonPath("$.warnings.length()").isEqualTo(2)
                .jsonPath("$.warnings[0].source").isEqualTo("wikiversions")
                .jsonPath("$.warnings[0].message").value(String.class,
                        m -> org.assertj.core.api.Assertions.assertThat(m).contains("wikiversions.json does not exist"))
                .jsonPath("$.warnings[1].source").isEqualTo("blockers")
                .jsonPath("$.warnings[1].message").value(String.class,
                        m -> org.assertj.core.api.Assertions.assertThat(m).contains("HTTP 500"));
    }
}
