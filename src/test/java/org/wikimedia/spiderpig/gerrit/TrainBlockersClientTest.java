package org.wikimedia.spiderpig.gerrit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.support.FakeGerrit;
import org.wikimedia.spiderpig.support.FakeGerrit.Answer;
import org.wikimedia.spiderpig.train.TrainBlockersSource.BlockerTask;
import org.wikimedia.spiderpig.train.TrainBlockersSource.TrainBlockersUnavailable;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The train-blockers API answering well, badly, slowly or not at all; the fake Gerrit server serves its answers
 * (at its /changes/ addresses, which the client does not care about).
 */
class TrainBlockersClientTest {

    static final FakeGerrit SERVER = new FakeGerrit()
            .answer("ok", new Answer(200, """
                    {"current": {"version": "1.45.0-wmf.4", "task_id": "T395123", "status": "open", "date": "2026-11-30"},
                     "previous": {"version": "1.45.0-wmf.3", "task_id": "T394000", "status": "resolved"}}""", false))
            .answer("numbered", new Answer(200, "{\"current\": {\"version\": \"1.45.0-wmf.4\", \"task_id\": 395123}}", false))
            .answer("down", new Answer(503, "Service unavailable", false))
            .answer("garbage", new Answer(200, "<html>maintenance</html>", false))
            .answer("empty", new Answer(200, "{\"previous\": {}}", false))
            .answer("slow", new Answer(0, "", true));

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    /** Generous but for the slow answer: the first request of a JVM on a busy machine takes a while. */
    private static TrainBlockersClient client(String key) {
        Duration timeout = key.equals("slow") ? Duration.ofMillis(500) : Duration.ofSeconds(20);
        return new TrainBlockersClient(GerritConfiguration.webClient(timeout),
                SERVER.url() + "/changes/" + key, timeout, JsonMapper.builder().build(),
                "https://phabricator.wikimedia.org/");
    }

    @Test
    void theCurrentTrainAndItsTaskOnPhabricator() {
        StepVerifier.create(client("ok").current())
                .expectNext(new BlockerTask("1.45.0-wmf.4", "T395123", "open", "2026-11-30",
                        "https://phabricator.wikimedia.org/T395123"))
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        StepVerifier.create(client("numbered").current())
                .expectNextMatches(task -> task.taskId().equals("T395123") && task.status() == null)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void eachFailureSaysWhy() {
        failsWith("down", "it answered HTTP 503");
        failsWith("garbage", "its answer was not JSON");
        failsWith("empty", "its answer named no current train");
        failsWith("slow", "it did not answer within 500 ms");
    }

    private static void failsWith(String key, String why) {
        StepVerifier.create(client(key).current())
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(TrainBlockersUnavailable.class)
                        .hasMessageContaining(why))
                .verify(Duration.ofSeconds(30));
    }
}
