package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wikimedia.spiderpig.web.JobApiTest.problem;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import org.wikimedia.spiderpig.train.EmbeddedStaging;
import tools.jackson.databind.JsonNode;

/** The embedded default's train: its status, a promotion with the simulator, and promotions refused. */
@ServerTest
class TrainApiTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-train");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spiderpig.data-dir", DATA::toString);
    }

    private static Map<String, Object> promotion(String group) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("group", group);
        parameters.put("version", EmbeddedStaging.VERSION);
        parameters.put("oldVersion", EmbeddedStaging.OLD_VERSION);
        parameters.put("excludedWikis", List.of("fawiki"));
        return parameters;
    }

    private JsonNode group(JsonNode status, String name) {
        for (JsonNode group : status.get("groups")) {
            if (group.get("name").asString().equals(name)) {
                return group;
            }
        }
        throw new AssertionError("no group " + name + " in " + status);
    }

    @Test
    void theEmbeddedTrainWorksOutOfTheBox() {
        client.get().uri("/api/train/status").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.trainVersion").isEqualTo(EmbeddedStaging.VERSION)
                .jsonPath("$.previousVersion").isEqualTo(EmbeddedStaging.OLD_VERSION)
                .jsonPath("$.groups[0].name").isEqualTo("testwikis")
                .jsonPath("$.groups[0].rolled").isEqualTo(true)
                .jsonPath("$.groups[3].name").isEqualTo("group2")
                .jsonPath("$.blocker.taskId").value(String.class, task -> assertThat(task).matches("T[0-9]+"))
                .jsonPath("$.blocker.url").value(String.class, url -> assertThat(url).startsWith("https://phabricator.wikimedia.org/T"))
                .jsonPath("$.warnings.length()").isEqualTo(0);
    }

    @Test
    void aPromotionEndToEnd() {
        assertThat(group(api.get("/api/train/status"), "group2").get("rolled").asBoolean()).isFalse();

        JsonNode job = api.start("train", promotion("group2"));
        long id = job.get("id").asLong();
        assertThat(job.get("description").asString()).isEqualTo("Train group2 to " + EmbeddedStaging.VERSION + " (except fawiki)");
        assertThat(job.get("concurrencyGroup").asString()).isEqualTo("backport");
        assertThat(job.get("parameters").get("group").get(0).asString()).isEqualTo("group2");

        JsonNode prompt = api.awaitPrompt(id);
        assertThat(prompt.get("prompt").asString()).contains("group2 wikis to " + EmbeddedStaging.VERSION);
        // not rolled before the answer: the simulator changes staging only when the promotion is done
        assertThat(group(api.get("/api/train/status"), "group2").get("versions").size()).isEqualTo(1);
        api.answer(id, prompt.get("id").asLong(), "y").expectStatus().isOk();
        api.awaitState(id, "succeeded");

        JsonNode group2 = group(api.get("/api/train/status"), "group2");
        assertThat(group2.get("versions").get(EmbeddedStaging.VERSION).asInt()).isEqualTo(group2.get("wikis").asInt() - 1);
        assertThat(group2.get("versions").get(EmbeddedStaging.OLD_VERSION).asInt()).isEqualTo(1);
        assertThat(group2.get("rolled").asBoolean()).isFalse();

        String log = client.get().uri("/api/jobs/{id}/log.txt?ansi=strip", id).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(log).contains("Train: " + EmbeddedStaging.OLD_VERSION + " -> " + EmbeddedStaging.VERSION
                + " for group2, except fawiki").contains("wiki(s) now on php-" + EmbeddedStaging.VERSION);
        // a promotion is not run again: the next one names its own versions
        problem(client.post().uri("/api/jobs/{id}/retry", id).exchange(), 409, "not-retryable");
    }

    @Test
    void everyBadParameterIsListedInOne400() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("group", "group3");
        parameters.put("version", "1.45.0");
        parameters.put("oldVersion", "wmf/1.45.0-wmf.3");
        parameters.put("excludedWikis", List.of("enwiki", "en.wikipedia.org"));
        client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("command", "train", "parameters", parameters))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://spiderpig.wikimedia.org/problems/invalid-parameters")
                .jsonPath("$.errors.length()").isEqualTo(4)
                .jsonPath("$.errors[0].field").isEqualTo("parameters.group")
                .jsonPath("$.errors[1].field").isEqualTo("parameters.version")
                .jsonPath("$.errors[2].field").isEqualTo("parameters.oldVersion")
                .jsonPath("$.errors[3].field").isEqualTo("parameters.excludedWikis[1]")
                .jsonPath("$.errors[3].value").isEqualTo("en.wikipedia.org");
    }

    @Test
    void eachBadParameterAloneIsA400() {
        for (var bad : List.<Map.Entry<String, Object>>of(Map.entry("group", "everything"), Map.entry("group", 1),
                Map.entry("version", "1.45.0-wmf"), Map.entry("version", ""), Map.entry("oldVersion", "1.45.0-wmf.4"),
                Map.entry("excludedWikis", "enwiki"), Map.entry("excludedWikis", List.of("en wiki")),
                Map.entry("dryRun", true))) {
            Map<String, Object> parameters = promotion("group0");
            parameters.put(bad.getKey(), bad.getValue());
            problem(client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("command", "train", "parameters", parameters)).exchange(), 400, "invalid-parameters");
        }
    }
}
