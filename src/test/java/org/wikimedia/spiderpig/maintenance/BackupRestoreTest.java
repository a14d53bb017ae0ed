package org.wikimedia.spiderpig.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.InProcessServer;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * A backup of a running server, with a job finished and one waiting for an answer, restored into a fresh data
 * directory as docs/operations.md says: a server started there has every job and every line of its log.
 */
@ServerTest
class BackupRestoreTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-backup");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spiderpig.data-dir", DATA::toString);
        registry.add("spiderpig.retention.enabled", () -> "false");
        TestScripts.jobType(registry, DATA, "printer", """
                for i in $(seq 1 200); do echo "printed line $i"; done
                """);
        TestScripts.jobType(registry, DATA, "waiter", """
                for i in $(seq 1 50); do echo "waiting line $i"; done
                printf "Proceed? [y/N] "
                read -r answer
                echo "answered $answer"
                """);
        registry.add("spiderpig.jobs.waiter.concurrency-group", () -> "waiter");
    }

    @Test
    void aBackupRestoredIntoAFreshDataDirectoryHasEveryJobAndItsLog() {
        long printed = api.start("printer", Map.of()).get("id").asLong();
        api.awaitState(printed, "succeeded");
        long waiting = api.start("waiter", Map.of()).get("id").asLong();
        api.awaitPrompt(waiting);
        Map<Long, List<String>> logsBefore = new HashMap<>();
        for (long id : List.of(printed, waiting)) {
            logsBefore.put(id, texts(api, id));
        }

        JsonNode backup = Api.parse(new String(client.post().uri("/api/admin/backup").exchange()
                .expectStatus().isCreated().expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8));
        long after = api.start("printer", Map.of()).get("id").asLong();
        // Its process would otherwise be ended by the restored server's recovery, which finds it alive on this host.
        client.post().uri("/api/jobs/{id}/cancel", waiting).exchange().expectStatus().isAccepted();
        api.awaitState(waiting, "cancelled");

        Path backupDir = Path.of(backup.get("path").asString());
        assertThat(backupDir.getParent()).isEqualTo(DATA.toAbsolutePath().normalize().resolve("backups"));
        assertThat(backup.get("jobs").asInt()).isEqualTo(2);
        assertThat(backup.get("logBytes").asLong()).isPositive();
        assertThat(backupDir.resolve("spiderpig.db")).isRegularFile();

        // The restore procedure of docs/operations.md: the database file and the logs directory, nothing else.
        Path restored = TestScripts.tempDirectory("spiderpig-restored");
        copyTree(backupDir, restored);
        try (InProcessServer server = InProcessServer.start(restored, "--spiderpig.retention.enabled=false")) {
            Api again = server.api();
            assertThat(again.get("/api/jobs?limit=100").get("jobs").valueStream().map(job -> job.get("id").asLong()))
                    .containsExactlyInAnyOrder(printed, waiting);
            assertThat(again.job(printed).get("state").asString()).isEqualTo("succeeded");
            assertThat(texts(again, printed)).isEqualTo(logsBefore.get(printed)).hasSize(200);
            // It waited for an answer when it was backed up: the restored server marks it interrupted, log intact.
            assertThat(again.job(waiting).get("state").asString()).isEqualTo("interrupted");
            assertThat(texts(again, waiting)).startsWith(logsBefore.get(waiting).toArray(String[]::new));
            again.client().get().uri("/api/jobs/{id}", after).exchange().expectStatus().isNotFound();
        }
    }

    @Test
    void onlyOneMaintenanceTaskRunsAtATime() {
        MaintenanceLock lock = new MaintenanceLock();
        reactor.core.publisher.Sinks.Empty<Void> held = reactor.core.publisher.Sinks.empty();
        lock.exclusively("backup", held.asMono()).subscribe();

        reactor.test.StepVerifier.create(lock.exclusively("retention cleanup", reactor.core.publisher.Mono.just(1)))
                .expectErrorSatisfies(error -> assertThat(error).hasMessageContaining("A backup is running"))
                .verify();
        held.tryEmitEmpty();
        reactor.test.StepVerifier.create(lock.exclusively("retention cleanup", reactor.core.publisher.Mono.just(1)))
                .expectNext(1).verifyComplete();
    }

    private static List<String> texts(Api api, long id) {
        return api.get("/api/jobs/" + id + "/log").get("lines").findValuesAsString("text");
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
