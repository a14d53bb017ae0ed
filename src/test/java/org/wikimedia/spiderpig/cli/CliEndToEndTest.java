package org.wikimedia.spiderpig.cli;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.SpiderPigApplication;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * The command-line client against a running server with the built-in simulator (its backport asks
 * "Backport the changes?" then "Continue with sync?"; change 666 fails): start, follow to the end,
 * answers by pattern, reconnection, errors and exit codes, as a script sees them.
 */
@ServerTest
class CliEndToEndTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-cli");
    private static final Pattern JOB_ID = Pattern.compile("\\[job (\\d+)]");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestScripts.jobType(registry, DATA, "exits3", """
                echo "about to fail"
                exit 3
                """);
        registry.add("spiderpig.data-dir", DATA::toString);
    }

    @Test
    void startFollowsToTheEndAnsweringByPatternAndPrintsExactlyTheLog() {
        CliRun run = cli("start", "backport", "12345", "--answer", "Backport=y", "--answer", "Continue with sync=y");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        long id = jobIdOf(run);
        assertThat(run.out()).as("piped output is plain").doesNotContain("\u001b").isEqualTo(plainLog(id));
        assertThat(run.err())
                .containsPattern("\\[prompt \\d+] Backport the changes\\? \\[Yes=y, No=n] \\(default n\\)")
                .contains("answered \"y\" (matches /Backport/): won")
                .contains("answered \"y\" (matches /Continue with sync/): won")
                .contains("[status] ").contains("[progress] ")
                .endsWith("[end] succeeded, exit code 0\n");
        assertThat(api.job(id).get("state").asString()).isEqualTo("succeeded");
    }

    @Test
    void aFailingJobEndsTheClientWithItsExitCode() {
        CliRun backport = cli("start", "backport", "666", "--answer", "Backport=y");
        assertThat(backport.exitCode()).as(backport.toString()).isEqualTo(1);
        assertThat(backport.err()).endsWith("[end] failed, exit code 1\n");

        CliRun script = cli("start", "exits3", "--follow");
        assertThat(script.exitCode()).as(script.toString()).isEqualTo(3);
        assertThat(script.out()).isEqualTo("about to fail\n");
    }

    @Test
    void aPromptNoPatternMatchesStopsTheClientAndTheJobWaitsForAnAnswer() {
        CliRun run = cli("start", "backport", "12345", "--answer", "Backport=y");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNMATCHED_PROMPT);
        long id = jobIdOf(run);
        long prompt = api.awaitPrompt(id).get("id").asLong();
        assertThat(run.err()).contains("spiderpig: no --answer pattern matches prompt " + prompt + " of job " + id
                + " (\"Continue with sync?\"); it is still waiting: answer it with spiderpig answer " + id + " "
                + prompt + " RESPONSE");
        assertThat(api.job(id).get("state").asString()).isEqualTo("awaiting-input");

        CliRun answer = cli("answer", Long.toString(id), "n");
        assertThat(answer.exitCode()).as(answer.toString()).isZero();
        assertThat(answer.out()).isEqualTo("answered \"n\" to prompt " + prompt + " of job " + id
                + " (\"Continue with sync?\")\n");

        CliRun late = cli("answer", Long.toString(id), Long.toString(prompt), "y");
        assertThat(late.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(late.err()).matches("spiderpig: \\S+ already answered \"n\" at \\S+\\.\n");

        CliRun follow = cli("follow", Long.toString(id));
        assertThat(follow.exitCode()).as("the simulator fails a sync that was not confirmed").isEqualTo(1);
        assertThat(follow.out()).isEqualTo(plainLog(id));
    }

    @Test
    void defaultAnswersThePromptsNoPatternMatches() {
        CliRun run = cli("start", "backport", "12345", "--answer", "Backport=y", "--default");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("answered \"n\" (its default): won");
        assertThat(run.out()).contains("Sync cancelled");
    }

    @Test
    void aCancelledJobEndsTheClientWithTheCancelledCode() {
        CliRun start = cli("start", "backport", "12345");
        assertThat(start.exitCode()).as(start.toString()).isZero();
        long id = Long.parseLong(start.out().strip());
        api.awaitPrompt(id);

        CliRun cancel = cli("cancel", Long.toString(id));
        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        assertThat(cancel.out()).startsWith("job " + id + ": ");

        CliRun follow = cli("follow", Long.toString(id));
        assertThat(follow.exitCode()).as(follow.toString()).isEqualTo(ExitCodes.JOB_CANCELLED);
        assertThat(follow.err()).contains("[cancel] requested by ").contains("[end] cancelled");
    }

    @Test
    void aDroppedConnectionIsResumedWithoutLosingOrRepeatingAnEvent() {
        long id = api.startBackport("12345").get("id").asLong();
        try (DroppingProxy proxy = new DroppingProxy(port)) {
            CliRun follow = CliRun.start(Map.of("SPIDERPIG_URL", proxy.url()), "follow", Long.toString(id));
            await("the client shows the first prompt").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> follow.err().contains("Backport the changes?"));

            assertThat(proxy.dropAll()).as("connections cut").isPositive();
            long first = api.awaitPrompt(id).get("id").asLong();
            api.answer(id, first, "y").expectStatus().isOk();
            long second = api.awaitJob(id, job -> job.get("pendingInteraction").path("id").asLong() > first,
                    "the second prompt").get("pendingInteraction").get("id").asLong();
            proxy.dropAll();
            api.answer(id, second, "y").expectStatus().isOk();

            assertThat(follow.exitCode()).as(follow.toString()).isZero();
            assertThat(follow.err()).contains("[connection lost] ").contains("[reconnected] continuing after event ");
            assertThat(follow.out()).isEqualTo(plainLog(id));
        }
    }

    @Test
    void tailStartsNearTheEnd() {
        long id = finishedJob("exits3");

        CliRun run = cli("follow", Long.toString(id), "--tail", "1");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).isEqualTo("about to fail\n");
    }

    @Test
    void jobsListsTheLatestJobs() {
        long id = finishedJob("exits3");

        CliRun run = cli("jobs", "--limit", "100");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("ID ").containsPattern("(?m)^" + id + " +failed +3 +\\S+ +\\S+ +Exits3$");
        CliRun json = cli("jobs", "--json");
        assertThat(Api.parse(json.out()).get("jobs").isArray()).isTrue();
    }

    @Test
    void theServersRefusalIsItsProblemDetailNotAStackTrace() {
        CliRun missing = cli("follow", "999999");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(missing.err()).isEqualTo("spiderpig: There is no job 999999.\n");

        CliRun invalid = cli("start", "backport", "abc");
        assertThat(invalid.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(invalid.err()).startsWith("spiderpig: ").contains("\"abc\" is not a Gerrit change number")
                .doesNotContain("Exception").hasLineCount(1);

        long id = finishedJob("exits3");
        CliRun finished = cli("cancel", Long.toString(id));
        assertThat(finished.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(finished.err()).startsWith("spiderpig: ").hasLineCount(1);
    }

    @Test
    void theJarRunsTheClientWithoutStartingTheServer() throws Exception {
        long id = finishedJob("exits3");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SpiderPigApplication.class.getName(),
                "cli", "follow", Long.toString(id), "--url", "http://127.0.0.1:" + port));
        Process process = new ProcessBuilder(command).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the client ended").isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(err).isEqualTo(3);
        assertThat(out).isEqualTo("about to fail\n");
        assertThat(err).as("no server started, nothing but the job's notes").doesNotContain("Spring", "Netty", "INFO")
                .endsWith("[end] failed, exit code 3\n");
    }

    /** A test that failed half-way must not leave a backport waiting, or every later one queues behind it. */
    @AfterEach
    void cancelWhatIsLeft() {
        JsonNode status = api.get("/api/status");
        for (String list : List.of("active", "queued")) {
            status.get(list).forEach(job -> client.post().uri("/api/jobs/{id}/cancel", job.get("id").asLong()).exchange());
        }
    }

    private CliRun cli(String... args) {
        return CliRun.run(Map.of("SPIDERPIG_URL", "http://127.0.0.1:" + port), args);
    }

    private long finishedJob(String command) {
        long id = api.start(command, Map.of()).get("id").asLong();
        api.awaitJob(id, job -> job.get("finishedAt").isString(), "the end");
        return id;
    }

    private static long jobIdOf(CliRun run) {
        Matcher job = JOB_ID.matcher(run.err());
        assertThat(job.find()).as("the client names the job it started: %s", run).isTrue();
        return Long.parseLong(job.group(1));
    }

    /** The job's whole log as the server keeps it, without colours: what a piped follow must print. */
    private String plainLog(long id) {
        JsonNode log = Api.getLarge("http://127.0.0.1:" + port + "/api/jobs/" + id + "/log");
        List<String> lines = new ArrayList<>();
        log.get("lines").forEach(line -> lines.add(Colour.strip(line.get("text").asString())));
        return lines.stream().map(line -> line + "\n").collect(Collectors.joining());
    }
}
