package org.wikimedia.spiderpig.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wikimedia.spiderpig.SpiderPigApplication;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.LeftoverJobs;
import org.wikimedia.spiderpig.support.Processes;
import org.wikimedia.spiderpig.support.ServerProcess;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * The server is killed (SIGKILL) while a job waits for an answer; the job's command runs on under its
 * supervisor, the next server re-attaches to it and offers the same prompt, and the answer given there
 * reaches the command, which then ends as it would have.
 */
class RestartRecoveryTest {

    private final Path data = TestScripts.tempDirectory("spiderpig-restart");
    private ServerProcess firstServer;
    private ConfigurableApplicationContext secondServer;

    @AfterEach
    void stopServers() {
        if (firstServer != null) {
            firstServer.kill();
        }
        if (secondServer != null) {
            secondServer.close();
        }
        LeftoverJobs.endAll(data);
    }

    @Test
    void aJobLeftWaitingByAKilledServerKeepsItsPromptAndTakesTheAnswerFromTheNextServer() throws Exception {
        Path script = TestScripts.write(data.resolve("scripts"), "patient.sh", """
                echo "working before the question"
                printf "Proceed? [y/N] "
                read -r answer
                echo "the command read $answer"
                exit 4
                """);
        List<String> jobType = List.of(
                "--spiderpig.jobs.patient.command=" + script,
                "--spiderpig.jobs.patient.validator=none",
                "--spiderpig.runner.prompt-idle=200ms");
        firstServer = ServerProcess.start(data, List.of(), jobType);
        Api first = firstServer.api();

        long id = first.start("patient", java.util.Map.of()).get("id").asLong();
        JsonNode prompt = first.awaitPrompt(id);
        long pgid = Long.parseLong(Files.readString(data.resolve("supervisors/" + id + "/started")).strip().substring(3));
        assertThat(pgid).isPositive();

        firstServer.kill();
        firstServer = null;
        assertThat(Processes.running(pgid)).isTrue();

        List<String> args = new ArrayList<>(jobType);
        args.add("--spiderpig.data-dir=" + data);
        args.add("--server.port=0");
        secondServer = new SpringApplicationBuilder(SpiderPigApplication.class).run(args.toArray(String[]::new));
        int secondPort = Integer.parseInt(secondServer.getEnvironment().getProperty("local.server.port"));
        Api second = new Api(WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + secondPort)
                .responseTimeout(Duration.ofSeconds(30)).build());

        JsonNode job = second.job(id);
        assertThat(job.get("state").asString()).isEqualTo("awaiting-input");
        assertThat(job.get("pendingInteraction").get("id").asLong()).isEqualTo(prompt.get("id").asLong());
        second.answer(id, prompt.get("id").asLong(), "y").expectStatus().isOk();

        JsonNode ended = second.awaitJob(id, j -> !j.get("finishedAt").isNull(), "ended");
        assertThat(ended.get("state").asString()).isEqualTo("failed");
        assertThat(ended.get("exitCode").asInt()).isEqualTo(4);
        List<String> texts = second.get("/api/jobs/" + id + "/log").get("lines").findValuesAsString("text");
        assertThat(texts).containsSubsequence("working before the question", "the command read y");
        assertThat(texts.stream().filter(text -> text.equals("working before the question"))).hasSize(1);
        assertThat(Processes.running(pgid)).isFalse();
    }
}
