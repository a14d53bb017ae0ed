package org.wikimedia.spiderpig.job;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.wikimedia.spiderpig.support.Processes;
import org.wikimedia.spiderpig.support.ServerProcess;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * The server is killed (SIGKILL) while a job waits for an answer; the next server marks the job
 * interrupted, ends its process group, closes its prompt for good, and keeps its log.
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
    }

    @Test
    void aJobLeftRunningByAKilledServerIsInterruptedAndItsPromptCanNeverBeAnswered() throws Exception {
        Path script = TestScripts.write(data.resolve("scripts"), "stubborn.sh", """
                echo "working before the question"
                printf "Proceed? [y/N] "
                sleep 600
                """);
        List<String> jobType = List.of(
                "--spiderpig.jobs.stubborn.command=" + script,
                "--spiderpig.jobs.stubborn.validator=none",
                "--spiderpig.runner.prompt-idle=200ms");
        firstServer = ServerProcess.start(data, List.of(), jobType);
        Api first = firstServer.api();

        long id = first.start("stubborn", java.util.Map.of()).get("id").asLong();
        JsonNode prompt = first.awaitPrompt(id);
        long pgid = first.job(id).get("lineCount").asLong() > 0 ? findScriptGroup(script) : -1;
        assertThat(pgid).isPositive();

        firstServer.kill();
        assertThat(Processes.running(pgid)).isTrue();

        List<String> args = new ArrayList<>(jobType);
        args.add("--spiderpig.data-dir=" + data);
        args.add("--server.port=0");
        secondServer = new SpringApplicationBuilder(SpiderPigApplication.class).run(args.toArray(String[]::new));
        int secondPort = Integer.parseInt(secondServer.getEnvironment().getProperty("local.server.port"));
        Api second = new Api(WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + secondPort)
                .responseTimeout(Duration.ofSeconds(30)).build());

        JsonNode job = second.job(id);
        assertThat(job.get("state").asString()).isEqualTo("interrupted");
        assertThat(job.get("reason").asString()).contains("stopped");
        assertThat(Processes.running(pgid)).isFalse();
        second.answer(id, prompt.get("id").asLong(), "y").expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://spiderpig.wikimedia.org/problems/interaction-closed");
        List<String> texts = second.get("/api/jobs/" + id + "/log").get("lines").findValuesAsString("text");
        assertThat(texts).contains("working before the question");
        assertThat(texts.get(texts.size() - 1)).contains("interrupted");
    }

    /** The process group of the job's script: its pid, since each job runs as a group leader. */
    private static long findScriptGroup(Path script) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(script.toString())).orElse(false)
                        || p.info().commandLine().map(c -> c.contains(script.toString())).orElse(false))
                .mapToLong(ProcessHandle::pid)
                .min()
                .orElse(-1);
    }
}
