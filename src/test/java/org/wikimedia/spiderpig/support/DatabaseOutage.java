package org.wikimedia.spiderpig.support;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The outage tests' fixture: a job type {@code talker} that prints its first {@value #BEFORE} lines, then waits
 * until the test has taken its server's PostgreSQL away before it prints the rest (to {@value #LINES}); and the
 * one way those tests take the database away (its open connections ended, new ones refused) and bring it back.
 */
public final class DatabaseOutage {

    public static final int BEFORE = 100;
    public static final int LINES = 1000;
    public static final Duration PATIENCE = Duration.ofMinutes(3);

    /** What a test does while the database is away. */
    @FunctionalInterface
    public interface WhileAway {
        void run() throws Exception;
    }

    private final Path gate;
    private final Path done;

    public DatabaseOutage(Path dataDir) {
        this.gate = dataDir.resolve("gate");
        this.done = dataDir.resolve("done");
    }

    /** The {@code talker} job type; {@code afterItsLines} (shell) runs once it printed them all. */
    public void registerTalker(DynamicPropertyRegistry registry, Path dataDir, String afterItsLines) {
        TestScripts.jobType(registry, dataDir, "talker", """
                for i in $(seq 1 %d); do echo "line $i"; done
                while [ ! -e '%s' ]; do sleep 0.05; done
                for i in $(seq %d %d); do echo "line $i"; done
                touch '%s'
                """.formatted(BEFORE, gate, BEFORE + 1, LINES, done) + afterItsLines);
    }

    /** Starts the talker; answers its id once its first lines are in its log. */
    public long startTalker(Api api) {
        long id = api.start("talker", java.util.Map.of()).get("id").asLong();
        await("the first lines are in the log").atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> api.job(id).get("lineCount").asLong() >= BEFORE);
        return id;
    }

    /** Takes the database away, lets the talker print the rest, runs {@code whileAway}, brings the database back. */
    public void takeAway(WhileAway whileAway) throws Exception {
        PostgresServerDatabase.current().beginOutage();
        try {
            Files.writeString(gate, "");
            whileAway.run();
        } finally {
            PostgresServerDatabase.current().endOutage();
        }
    }

    /** Whether the talker printed all its lines (the rest of its script may still run). */
    public boolean talkerPrintedAll() {
        return Files.exists(done);
    }

    /** How many jobs the server let go of because the database stayed away ({@code spiderpig_jobs_database_outages_total}). */
    public static double jobsLetGo(MeterRegistry meters) {
        var counter = meters.find("spiderpig.jobs.database.outages").counter();
        return counter == null ? 0 : counter.count();
    }

    /** The talker's lines as its log must hold them: every one, in order, once. */
    public static List<String> talkerLines() {
        return IntStream.rangeClosed(1, LINES).mapToObj(i -> "line " + i).toList();
    }
}
