package org.wikimedia.spiderpig.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.wikimedia.spiderpig.support.TestScripts.spec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikimedia.spiderpig.supervisor.LaunchOrder;
import org.wikimedia.spiderpig.supervisor.SupervisorCommand;
import org.wikimedia.spiderpig.support.TestScripts;

/**
 * Spare supervisors, started before their job: a job handed to one runs exactly as under a supervisor started
 * for it, a new spare follows, and no spare outlives the launcher, or the end of its input.
 */
class SpareSupervisorTest {

    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    void aJobHandedToTheSpareRunsWithItsOwnEnvironmentAndDirectory() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path script = TestScripts.write(dir, "env.sh", """
                echo "pwd $PWD"
                echo "user $SPIDERPIG_REAL_USER key $SPIDERPIG_IO_KEY colour $FORCE_COLOR"
                echo "home $HOME"
                exit 4
                """);
        try (SupervisedLauncher launcher = new SupervisedLauncher(dir.resolve("supervisors"),
                SupervisorCommand.forThisJvm(), true)) {
            ProcessHandle spare = awaitSpare(launcher);
            JobProcess job = launcher.launch(spec(7, work, List.of(script.toString()))).block(DEADLINE);
            List<RunnerEvent> events = job.events().collectList().block(DEADLINE);

            assertThat(texts(events)).containsExactly("pwd " + work, "user alice key " + TestScripts.KEY + " colour 1",
                    "home " + System.getenv("HOME"));
            assertThat(unmarked(events).get(unmarked(events).size() - 1)).isEqualTo(new RunnerEvent.Exited(4, null));
            Path files = dir.resolve("supervisors/7");
            assertThat(Files.readString(files.resolve("supervisor"))).as("the spare ran it")
                    .startsWith(spare.pid() + " ");
            assertThat(Files.readString(files.resolve("supervisor.log"))).as("nothing to say").isEmpty();
            ProcessHandle next = awaitSpare(launcher);
            assertThat(next.pid()).as("a new spare").isNotEqualTo(spare.pid());
            assertThat(spareDirectories()).hasSize(1);
        }
    }

    @Test
    void closingTheLauncherEndsItsSpareAndRemovesItsDirectory() throws Exception {
        ProcessHandle spare;
        try (SupervisedLauncher launcher = new SupervisedLauncher(dir.resolve("supervisors"),
                SupervisorCommand.forThisJvm(), true)) {
            spare = awaitSpare(launcher);
            assertThat(spareDirectories()).hasSize(1);
        }
        assertThat(spare.isAlive()).isFalse();
        assertThat(spareDirectories()).isEmpty();
    }

    @Test
    void aSpareWhoseInputEndsExitsByItselfAndTakesItsDirectoryAlong() throws Exception {
        // As when the server dies: nothing dismisses the spare, only its input ends.
        Path directory = dir.resolve("supervisors/spare-test");
        SpareSupervisor spare = SpareSupervisor.start(directory, SupervisorCommand.forThisJvm());
        spare.process().getOutputStream().close();

        assertThat(spare.process().waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(spare.process().exitValue()).isZero();
        assertThat(directory).doesNotExist();
    }

    @Test
    void aJobStartsItsOwnSupervisorWhenTheSpareHasDied() throws Exception {
        Path script = TestScripts.write(dir, "hello.sh", "echo hello\n");
        try (SupervisedLauncher launcher = new SupervisedLauncher(dir.resolve("supervisors"),
                SupervisorCommand.forThisJvm(), true)) {
            ProcessHandle spare = awaitSpare(launcher);
            spare.destroyForcibly();
            spare.onExit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

            List<RunnerEvent> events = launcher.launch(spec(8, script)).block(DEADLINE).events().collectList().block(DEADLINE);
            assertThat(texts(events)).containsExactly("hello");
            assertThat(Files.readString(dir.resolve("supervisors/8/supervisor"))).doesNotStartWith(spare.pid() + " ");
        }
    }

    @Test
    void anOrderReadsBackAsItWasWrittenAndATruncatedOneIsTheEndOfInput() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of("setsid", "printf", "%s\\n", "ünïcode", ""));
        builder.environment().put("SPIDERPIG_IO_KEY", "k\ney");
        builder.environment().remove("HOME");
        builder.directory(dir.toFile());
        LaunchOrder order = LaunchOrder.of(dir.resolve("supervisors/9"), 300, builder);
        assertThat(order.setVariables()).containsExactly(Map.entry("SPIDERPIG_IO_KEY", "k\ney"));
        assertThat(order.removedVariables()).isEqualTo(System.getenv().containsKey("HOME") ? List.of("HOME") : List.of());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        order.writeTo(bytes);
        assertThat(LaunchOrder.readFrom(new ByteArrayInputStream(bytes.toByteArray()))).isEqualTo(order);
        byte[] truncated = Arrays.copyOf(bytes.toByteArray(), bytes.size() - 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LaunchOrder.readFrom(new ByteArrayInputStream(truncated)))
                .isInstanceOf(EOFException.class);
    }

    private static ProcessHandle awaitSpare(SupervisedLauncher launcher) {
        launcher.startSpare();
        return await("a spare supervisor").atMost(DEADLINE).until(launcher::spare, java.util.Optional::isPresent)
                .orElseThrow();
    }

    private List<Path> spareDirectories() throws Exception {
        try (Stream<Path> children = Files.list(dir.resolve("supervisors"))) {
            return children.filter(path -> path.getFileName().toString().startsWith("spare-")).toList();
        }
    }

    private static List<RunnerEvent> unmarked(List<RunnerEvent> events) {
        return events.stream().map(e -> e instanceof RunnerEvent.Marked m ? m.event() : e).toList();
    }

    private static List<String> texts(List<RunnerEvent> events) {
        return unmarked(events).stream().filter(e -> e instanceof RunnerEvent.Output)
                .map(e -> ((RunnerEvent.Output) e).text()).toList();
    }
}
