package org.wikimedia.spiderpig.cli;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.wikimedia.spiderpig.SpiderPigApplication;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.LeftoverJobs;
import org.wikimedia.spiderpig.support.ServerProcess;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * A follower outlives its server: it keeps reconnecting while the server is down, resumes from its
 * last event on the new one (the job itself ran on under its supervisor), and follows it to its end.
 */
class CliServerRestartTest {

    private static final List<String> FAST = List.of("--spiderpig.simulator.pace=fast",
            "--spiderpig.runner.prompt-idle=200ms");

    private final Path data = TestScripts.tempDirectory("spiderpig-cli-restart");
    private ServerProcess first;
    private ConfigurableApplicationContext second;

    @AfterEach
    void stopServers() {
        if (first != null) {
            first.kill();
        }
        if (second != null) {
            second.close();
        }
        LeftoverJobs.endAll(data);
    }

    @Test
    void aFollowerResumesOnTheRestartedServerAndFollowsTheJobToItsEnd() {
        first = ServerProcess.start(data, List.of(), FAST);
        long id = first.api().startBackport("12345").get("id").asLong();
        try (DroppingProxy proxy = new DroppingProxy(first.port())) {
            CliRun follow = CliRun.start(Map.of("SPIDERPIG_URL", proxy.url()), "follow", Long.toString(id));
            await("the client shows the first prompt").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> follow.err().contains("Backport the changes?"));

            first.kill();
            first = null;
            await("the client notices").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> follow.err().contains("[connection lost]"));
            // The new server in this JVM: a second server JVM is slow to start on a busy machine.
            List<String> args = new ArrayList<>(FAST);
            args.addAll(List.of("--spiderpig.data-dir=" + data, "--server.port=0", "--spring.main.banner-mode=off"));
            second = new SpringApplicationBuilder(SpiderPigApplication.class).run(args.toArray(String[]::new));
            proxy.retarget(Integer.parseInt(second.getEnvironment().getProperty("local.server.port")));

            await("the client resumes").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> follow.err().contains("[reconnected] continuing after event "));
            Api api = new Api(WebTestClient.bindToServer()
                    .baseUrl("http://127.0.0.1:" + second.getEnvironment().getProperty("local.server.port"))
                    .responseTimeout(Duration.ofSeconds(30)).build());
            await("the job ends").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
                JsonNode job = api.job(id);
                JsonNode prompt = job.get("pendingInteraction");
                if (!prompt.isNull()) {
                    String answer = prompt.get("choices").isEmpty() ? "y"
                            : prompt.get("choices").valueStream().findFirst().orElseThrow().asString();
                    api.answer(id, prompt.get("id").asLong(), answer);
                }
                return !job.get("finishedAt").isNull();
            });
            assertThat(follow.exitCode()).as(follow.toString()).isEqualTo(ExitCodes.OK);
            assertThat(follow.err()).contains("[reconnected] continuing after event ").contains("[end] succeeded");
        }
    }
}
