package org.wikimedia.spiderpig.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wikimedia.spiderpig.runner.TestScripts.bash;
import static org.wikimedia.spiderpig.runner.TestScripts.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.support.Eventually;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class SubprocessLauncherTest {

    private static final Duration DEADLINE = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    private final SubprocessLauncher launcher = new SubprocessLauncher();

    @AfterEach
    void close() {
        launcher.close();
    }

    private JobProcess launch(LaunchSpec spec) {
        return launcher.launch(spec).block(DEADLINE);
    }

    private static List<RunnerEvent> run(JobProcess process) {
        return process.events().collectList().block(DEADLINE);
    }

    private static List<String> texts(List<RunnerEvent> events, String stream) {
        return events.stream()
                .filter(e -> e instanceof RunnerEvent.Output o && o.stream().wireName().equals(stream))
                .map(e -> ((RunnerEvent.Output) e).text())
                .collect(Collectors.toList());
    }

    @Test
    void successCapturesBothStreamsTheEnvironmentAndTheExit() throws IOException {
        Path script = bash(dir, "ok.sh", """
                echo "args: $*"
                echo "to stderr" >&2
                echo "key=$SPIDERPIG_IO_KEY user=$SPIDERPIG_REAL_USER color=$FORCE_COLOR unbuffered=$PYTHONUNBUFFERED"
                echo "pid=$$ pgid=$(cut -d' ' -f5 /proc/$$/stat) cwd=$PWD"
                printf 'last line without newline'
                """);
        JobProcess process = launch(spec(1, script, "12345", "a b"));
        List<RunnerEvent> events = run(process);

        assertThat(texts(events, "stdout")).containsExactly(
                "args: 12345 a b",
                "key=" + TestScripts.KEY + " user=alice color=1 unbuffered=1",
                "pid=" + process.pid() + " pgid=" + process.pid() + " cwd=" + dir.toRealPath(),
                "last line without newline");
        assertThat(texts(events, "stderr")).containsExactly("to stderr");
        assertThat(events.get(events.size() - 1)).isEqualTo(new RunnerEvent.Exited(0, null));
        assertThat(events.stream().filter(e -> e instanceof RunnerEvent.Exited)).hasSize(1);
        awaitNoThreadsOf(1);
    }

    @Test
    void failureReportsTheExitCode() throws IOException {
        Path script = bash(dir, "fail.sh", "echo broken >&2; exit 3");
        List<RunnerEvent> events = run(launch(spec(2, script)));
        assertThat(texts(events, "stderr")).containsExactly("broken");
        assertThat(events).last().isEqualTo(new RunnerEvent.Exited(3, null));
    }

    @Test
    void jobsGetTheDefaultInterruptHandlingWhateverTheServerInherited() throws IOException {
        // A server started in the background by a script ignores SIGINT; its jobs must not, since a
        // cancel begins with SIGINT. (Meaningful when the test JVM itself ignores SIGINT, as under CI.)
        Path script = bash(dir, "signals.sh", "awk '/^SigIgn/ {print $2}' /proc/$$/status");
        List<RunnerEvent> events = run(launch(spec(2, script)));
        long ignored = Long.parseLong(texts(events, "stdout").get(0), 16);
        assertThat(ignored & (1L << (2 - 1))).as("SIGINT ignored").isZero();
    }

    @Test
    void cancelEndsTheWholeProcessGroupIncludingChildren() throws IOException {
        // Background children of a non-interactive bash ignore SIGINT, so this needs SIGTERM too.
        Path script = bash(dir, "slow.sh", """
                sleep 1000 &
                echo "child=$!"
                sleep 1000 &
                echo "child=$!"
                echo ready
                wait
                """);
        JobProcess process = launch(spec(3, script));
        List<RunnerEvent> events = new CopyOnWriteArrayList<>();
        Flux<RunnerEvent> flux = process.events().doOnNext(events::add)
                .doOnNext(e -> {
                    if (e instanceof RunnerEvent.Output o && o.text().equals("ready")) {
                        process.cancel().subscribe();
                    }
                });
        StepVerifier.create(flux.filter(e -> e instanceof RunnerEvent.Exited))
                .assertNext(exited -> assertThat(((RunnerEvent.Exited) exited).signal()).isNotNull())
                .expectComplete()
                .verify(DEADLINE);
        List<Long> children = texts(events, "stdout").stream()
                .filter(t -> t.startsWith("child="))
                .map(t -> Long.parseLong(t.substring(6)))
                .toList();
        assertThat(children).hasSize(2);
        process.cancel().block(DEADLINE);
        assertThat(ProcessGroups.members(process.pid())).isEmpty();
        for (long child : children) {
            // Orphans are reaped by whoever adopted them; what matters is that none runs on.
            Eventually.await("the child is gone", () -> !runsOrIsOurZombie(child));
        }
        Eventually.await("the process is reaped", () -> !Files.exists(Path.of("/proc", Long.toString(process.pid()))));
        awaitNoThreadsOf(3);
    }

    @Test
    void cancelRightAfterTheLaunchEndsTheCommand() throws IOException {
        JobProcess process = launch(spec(16, bash(dir, "sleepy.sh", "exec sleep 1000")));
        process.cancel().block(DEADLINE);
        List<RunnerEvent> events = run(process);
        assertThat(events).last().isEqualTo(new RunnerEvent.Exited(128 + 2, 2));
        assertThat(ProcessGroups.isAlive(process.pid())).isFalse();
    }

    @Test
    void aCommandIgnoringInterruptAndTerminateIsKilled() throws IOException {
        Path script = bash(dir, "stubborn.sh", """
                trap '' INT TERM
                sleep 1000 &
                echo ready
                wait
                """);
        JobProcess process = launch(spec(4, script));
        List<RunnerEvent> events = process.events()
                .doOnNext(e -> {
                    if (e instanceof RunnerEvent.Output o && o.text().equals("ready")) {
                        process.cancel().subscribe();
                    }
                })
                .collectList().block(DEADLINE);
        assertThat(events).last().isEqualTo(new RunnerEvent.Exited(128 + 9, 9));
        assertThat(ProcessGroups.members(process.pid())).isEmpty();
    }

    @Test
    void aTenMegabyteLineWithoutNewlineIsSplitAndKept() throws IOException {
        int size = 10 * 1024 * 1024;
        Path script = bash(dir, "big.sh", "head -c " + size + " /dev/zero | tr '\\0' 'x'");
        List<String> pieces = texts(run(launch(spec(5, script))), "stdout");
        assertThat(pieces).hasSize(size / (64 * 1024));
        assertThat(pieces.subList(0, pieces.size() - 1)).allMatch(p -> p.endsWith(LineSplitter.CONTINUES_MARKER));
        assertThat(pieces.stream().mapToInt(p -> p.replace(LineSplitter.CONTINUES_MARKER, "").length()).sum())
                .isEqualTo(size);
    }

    @Test
    void invalidBytesAreReplacedNotFatal() throws IOException {
        Path script = bash(dir, "bytes.sh", "printf 'ok\\xff\\xfe\\n\\xc3\\xa9t\\xc3\\xa9\\n'; printf 'bad\\x80' >&2");
        List<RunnerEvent> events = run(launch(spec(6, script)));
        assertThat(texts(events, "stdout")).containsExactly("ok\uFFFD\uFFFD", "été");
        assertThat(texts(events, "stderr")).containsExactly("bad\uFFFD");
        assertThat(events).last().isEqualTo(new RunnerEvent.Exited(0, null));
    }

    @Test
    void eachAnswerReachesStdinExactlyOnce() throws IOException {
        Path script = bash(dir, "ask.sh", """
                printf 'Backport the changes? [y/N] '
                read -r first
                echo "first=$first"
                printf 'Continue with sync? [Y/n] ' >&2
                read -r second
                echo "second=$second"
                """);
        JobProcess process = launch(spec(7, script));
        List<String> answers = new ArrayList<>(List.of("y", "n"));
        List<RunnerEvent> events = process.events()
                .doOnNext(e -> {
                    if (e instanceof RunnerEvent.Prompt) {
                        process.answer(answers.remove(0)).subscribe();
                    }
                })
                .collectList().block(DEADLINE);
        assertThat(events).containsExactly(
                new RunnerEvent.Output(OutputLine.Stream.STDOUT, "Backport the changes? [y/N] ", false),
                new RunnerEvent.Prompt("choices", "Backport the changes? [y/N]", Map.of("Yes", "y", "No", "n"), "n"),
                new RunnerEvent.Output(OutputLine.Stream.STDOUT, "first=y", false),
                new RunnerEvent.Output(OutputLine.Stream.STDERR, "Continue with sync? [Y/n] ", false),
                new RunnerEvent.Prompt("choices", "Continue with sync? [Y/n]", Map.of("Yes", "y", "No", "n"), "y"),
                new RunnerEvent.Output(OutputLine.Stream.STDOUT, "second=n", false),
                new RunnerEvent.Exited(0, null));
    }

    @Test
    void answeringAfterTheEndFails() throws IOException {
        JobProcess process = launch(spec(8, bash(dir, "quick.sh", "exit 0")));
        run(process);
        StepVerifier.create(process.answer("y")).expectError(IllegalStateException.class).verify(DEADLINE);
        StepVerifier.create(process.answer("two\nlines")).expectError(IllegalArgumentException.class).verify(DEADLINE);
    }

    @Test
    void eventsCanBeSubscribedOnce() throws IOException {
        JobProcess process = launch(spec(9, bash(dir, "once.sh", "echo hi")));
        run(process);
        StepVerifier.create(process.events()).expectError(IllegalStateException.class).verify(DEADLINE);
    }

    @Test
    void aSlowConsumerGetsOnlyWhatItAskedFor() throws IOException {
        Path script = bash(dir, "many.sh", "seq 1 100000");
        JobProcess process = launch(spec(10, script));
        StepVerifier.create(process.events(), 3)
                .expectNext(new RunnerEvent.Output(OutputLine.Stream.STDOUT, "1", false))
                .expectNext(new RunnerEvent.Output(OutputLine.Stream.STDOUT, "2", false))
                .expectNext(new RunnerEvent.Output(OutputLine.Stream.STDOUT, "3", false))
                .expectNoEvent(Duration.ofMillis(100))
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(100000 - 3)
                .expectNext(new RunnerEvent.Exited(0, null))
                .expectComplete()
                .verify(DEADLINE);
    }

    @Test
    void commandsThatCannotStartFailWithAClearMessage() throws IOException {
        assertThatThrownBy(() -> launch(spec(11, dir, List.of("no-such-command-spiderpig", "x"))))
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("no-such-command-spiderpig").hasMessageContaining("PATH");
        Path notExecutable = Files.writeString(dir.resolve("plain.txt"), "echo hi");
        assertThatThrownBy(() -> launch(spec(12, dir, List.of(notExecutable.toString()))))
                .isInstanceOf(ProcessStartException.class).hasMessageContaining("not an executable file");
        assertThatThrownBy(() -> launch(spec(13, dir.resolve("missing-dir"), List.of("true"))))
                .isInstanceOf(ProcessStartException.class).hasMessageContaining("working directory");
        assertThatThrownBy(() -> launch(spec(14, dir, List.of())))
                .isInstanceOf(ProcessStartException.class).hasMessageContaining("empty");
    }

    @Test
    void finishedJobsLeaveNoFileHandlesOpen() throws IOException {
        Path script = bash(dir, "handles.sh", "echo out; echo err >&2");
        run(launch(spec(20, script)));
        long baseline = openFileHandles();
        for (int job = 21; job < 26; job++) {
            JobProcess process = launch(spec(job, script));
            run(process);
            process.answer("too late").onErrorResume(e -> Mono.empty()).block(DEADLINE);
        }
        Eventually.await("file handles are closed", () -> openFileHandles() <= baseline);
    }

    private static long openFileHandles() {
        try (var handles = Files.list(Path.of("/proc/self/fd"))) {
            return handles.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aLeftoverGroupIsEndedOnlyWithItsKey() throws IOException {
        Path script = bash(dir, "leftover.sh", "echo ready; sleep 1000");
        JobProcess process = launch(spec(15, script));
        List<RunnerEvent> events = new CopyOnWriteArrayList<>();
        process.events().doOnNext(events::add).subscribe();
        Eventually.await("the script is ready", () -> texts(events, "stdout").contains("ready"));

        assertThat(ProcessGroups.terminateIfAlive(process.pid(), "not-the-key", Duration.ofSeconds(1))).isFalse();
        assertThat(ProcessGroups.isAlive(process.pid())).isTrue();
        assertThat(ProcessGroups.terminateIfAlive(process.pid(), TestScripts.KEY, Duration.ofSeconds(1))).isTrue();
        Eventually.await("the process exited", () -> events.stream().anyMatch(e -> e instanceof RunnerEvent.Exited));
        assertThat(ProcessGroups.isAlive(process.pid())).isFalse();
        assertThat(ProcessGroups.terminateIfAlive(process.pid(), TestScripts.KEY, Duration.ofSeconds(1))).isFalse();
    }

    private static boolean runsOrIsOurZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            boolean zombie = fields[0].equals("Z");
            return !zombie || Long.parseLong(fields[1]) == ProcessHandle.current().pid();
        } catch (IOException gone) {
            return false;
        }
    }

    private static void awaitNoThreadsOf(long jobId) {
        String prefix = "job-" + jobId + "-";
        Eventually.await("the job's threads end", () -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith(prefix)));
    }

}
