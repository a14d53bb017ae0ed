package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wikimedia.spiderpig.web.JobApiTest.problem;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.support.FakeGerrit;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/** Change details from a Gerrit that answers well, not at all, slowly, or nonsense. */
@ServerTest
class GerritDetailsApiTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-gerrit");
    static final FakeGerrit GERRIT = new FakeGerrit()
            .change("12345", "mediawiki/core", "wmf/1.45.0-wmf.4", "Fix the \\\"thing\\\"", "MERGED",
                    "Fix the thing\n\nBug: T123456\nChange-Id: I0123456789abcdef0123456789abcdef01234567\n")
            .change("23456", "operations/mediawiki-config", "master", "Raise a limit", "NEW", "Raise a limit\n")
            .answer("500", new FakeGerrit.Answer(500, "Internal server error", false))
            .answer("777", new FakeGerrit.Answer(200, ")]}'\n<html>not json</html>", false))
            .answer("778", new FakeGerrit.Answer(200, ")]}'\n{\"message\":\"not a change\"}", false))
            .answer("888", new FakeGerrit.Answer(0, "", true));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestScripts.write(DATA.resolve("scripts"), "quick.sh", "echo \"backporting $*\"\n");
        registry.add("spiderpig.data-dir", DATA::toString);
        registry.add("spiderpig.gerrit.url", GERRIT::url);
        registry.add("spiderpig.gerrit.timeout", () -> "1s");
        registry.add("spiderpig.jobs.quick.command", () -> DATA.resolve("scripts/quick.sh").toString());
        registry.add("spiderpig.jobs.quick.validator", () -> "change-ids");
    }

    @AfterAll
    static void stopGerrit() {
        GERRIT.close();
    }

    @Test
    void thePreviewShowsWhatGerritSaysWithoutItsPrefix() {
        client.get().uri("/api/gerrit/changes/12345").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.number").isEqualTo("12345")
                .jsonPath("$.project").isEqualTo("mediawiki/core")
                .jsonPath("$.branch").isEqualTo("wmf/1.45.0-wmf.4")
                .jsonPath("$.subject").isEqualTo("Fix the \"thing\"")
                .jsonPath("$.status").isEqualTo("MERGED")
                .jsonPath("$.commitMessage").value(String.class, m -> assertThat(m).contains("Bug: T123456"))
                .jsonPath("$.url").isEqualTo(GERRIT.url() + "/c/mediawiki/core/+/12345")
                .jsonPath("$.error").doesNotExist();
    }

    @Test
    void thePreviewTakesAChangeUrlAndIsCachedBriefly() {
        String url = "https://gerrit.wikimedia.org/r/c/operations/mediawiki-config/+/23456";
        int before = GERRIT.asked("23456");
        client.get().uri("/api/gerrit/changes/{change}", url).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.subject").isEqualTo("Raise a limit");
        client.get().uri("/api/gerrit/changes/23456").exchange().expectStatus().isOk();

        assertThat(GERRIT.asked("23456")).isEqualTo(before + 1);
    }

    @Test
    void thePreviewSaysWhatIsWrong() {
        problem(client.get().uri("/api/gerrit/changes/404").exchange(), 404, "unknown-change");
        problem(client.get().uri("/api/gerrit/changes/abc").exchange(), 400, "invalid-parameters");
        problem(client.get().uri("/api/gerrit/changes/500").exchange(), 502, "gerrit-unavailable");
        problem(client.get().uri("/api/gerrit/changes/777").exchange(), 502, "gerrit-unavailable");
        problem(client.get().uri("/api/gerrit/changes/778").exchange(), 502, "gerrit-unavailable");
        client.get().uri("/api/gerrit/changes/888").exchange()
                .expectStatus().isEqualTo(502)
                .expectBody().jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("did not answer"));
    }

    @Test
    void aJobRecordsItsChangesDetailsAndShowsThemInItsJson() {
        long id = api.start("quick", Map.of("changeIds", List.of("12345", "23456"))).get("id").asLong();

        JsonNode job = api.awaitState(id, "succeeded");

        assertThat(job.get("changes").findValuesAsString("project"))
                .containsExactly("mediawiki/core", "operations/mediawiki-config");
        assertThat(job.get("changes").get(0).get("commitMessage").asString()).contains("Change-Id: I0123456789");
        JsonNode listed = api.get("/api/jobs?limit=100").get("jobs");
        assertThat(listed).anySatisfy(j -> {
            assertThat(j.get("id").asLong()).isEqualTo(id);
            assertThat(j.get("changes").size()).isEqualTo(2);
        });
    }

    @Test
    void aJobStartsWhenGerritCannotAnswerAndSaysWhy() {
        long id = api.start("quick", Map.of("changeIds", List.of("500", "888", "777"))).get("id").asLong();

        JsonNode job = api.awaitState(id, "succeeded");

        JsonNode changes = job.get("changes");
        assertThat(changes.findValuesAsString("number")).containsExactly("500", "888", "777");
        assertThat(changes.get(0).get("error").asString()).contains("HTTP 500");
        assertThat(changes.get(1).get("error").asString()).contains("did not answer");
        assertThat(changes.get(2).get("error").asString()).contains("not JSON");
        assertThat(changes.get(0).get("project").isNull()).isTrue();
    }

    @Test
    void changesGerritDoesNotKnowAreRefusedTogether() {
        client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("command", "quick", "parameters", Map.of("changeIds", List.of("404", "12345", "405"))))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://spiderpig.wikimedia.org/problems/invalid-parameters")
                .jsonPath("$.errors.length()").isEqualTo(2)
                .jsonPath("$.errors[0].value").isEqualTo("404")
                .jsonPath("$.errors[1].value").isEqualTo("405");
    }
}
