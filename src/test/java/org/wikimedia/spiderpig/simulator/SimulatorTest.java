package org.wikimedia.spiderpig.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.runner.JobProcess;
import org.wikimedia.spiderpig.runner.LaunchSpec;
import org.wikimedia.spiderpig.runner.RunnerEvent;
import org.wikimedia.spiderpig.runner.SubprocessLauncher;

/** The simulator run the way the server runs it: a subprocess of this JVM, through the launcher. */
class SimulatorTest {

    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final SubprocessLauncher launcher = new SubprocessLauncher();
    private static long nextJobId = 500;

    @AfterAll
    static void close() {
        launcher.close();
    }

    /** Runs {@code simulate <args> --pace fast}, answering the prompts in turn. */
    private static List<RunnerEvent> simulate(List<String> answers, String... args) {
        List<String> configured = new ArrayList<>(List.of(SelfCommand.TOKEN));
        configured.addAll(List.of(args));
        configured.addAll(List.of("--pace", "fast"));
        LaunchSpec spec = new LaunchSpec(nextJobId++, SelfCommand.expand(configured), Path.of("."),
                Map.of(), "ab12".repeat(16), List.of(), Duration.ofMillis(300), 64 * 1024,
                Duration.ofSeconds(2), Duration.ofSeconds(2));
        JobProcess process = launcher.launch(spec).block(DEADLINE);
        List<String> remaining = new ArrayList<>(answers);
        return process.events()
                .doOnNext(event -> {
                    if (event instanceof RunnerEvent.Prompt) {
                        process.answer(remaining.remove(0)).subscribe();
                    }
                })
                .collectList()
                .block(DEADLINE);
    }

    private static List<RunnerEvent.Prompt> prompts(List<RunnerEvent> events) {
        return events.stream().filter(RunnerEvent.Prompt.class::isInstance).map(RunnerEvent.Prompt.class::cast).toList();
    }

    private static List<String> lines(List<RunnerEvent> events) {
        return events.stream().filter(RunnerEvent.Output.class::isInstance)
                .map(e -> ((RunnerEvent.Output) e).text()).toList();
    }

    @Test
    void aBackportAnsweredYesTwiceSucceeds() {
        List<RunnerEvent> events = simulate(List.of("y", "y"), "backport", "12345", "67890");

        assertThat(prompts(events)).extracting(RunnerEvent.Prompt::prompt)
                .containsExactly("Backport the changes?", "Continue with sync?");
        assertThat(prompts(events).get(1).choices()).containsExactly(Map.entry("Yes", "y"), Map.entry("No", "n"));
        assertThat(lines(events)).anyMatch(l -> l.contains("| 12345 ")).anyMatch(l -> l.contains("| 67890 "))
                .anyMatch(l -> l.contains("\u001b[32m") && l.contains("Finished scap sync-world"));
        assertThat(events).filteredOn(e -> e instanceof RunnerEvent.Output o && o.sensitive()).isNotEmpty()
                .allMatch(e -> ((RunnerEvent.Output) e).text().contains("patch"));
        assertThat(events).filteredOn(RunnerEvent.Status.class::isInstance).isNotEmpty();
        assertThat(events).filteredOn(RunnerEvent.ProgressReport.class::isInstance).isNotEmpty();
        assertThat(events).filteredOn(e -> e instanceof RunnerEvent.Output o && o.stream().wireName().equals("stderr")).isEmpty();
        assertThat(events).last().isEqualTo(new RunnerEvent.Exited(0, null));
    }

    @Test
    void change666FailsToMerge() {
        List<RunnerEvent> events = simulate(List.of("y"), "backport", "12345", "666");
        assertThat(lines(events)).anyMatch(l -> l.contains("Change 666 was not merged"));
        assertThat(events).last().isEqualTo(new RunnerEvent.Exited(1, null));
    }

    @Test
    void answeringNoAbortsWithAFailure() {
        List<RunnerEvent> atFirst = simulate(List.of("n"), "backport", "12345");
        assertThat(prompts(atFirst)).hasSize(1);
        assertThat(atFirst).last().isEqualTo(new RunnerEvent.Exited(1, null));

        List<RunnerEvent> atSecond = simulate(List.of("y", "n"), "backport", "12345");
        assertThat(lines(atSecond)).anyMatch(l -> l.contains("Sync cancelled"));
        assertThat(atSecond).last().isEqualTo(new RunnerEvent.Exited(1, null));
    }

    @Test
    void floodPrintsNumberedLines() {
        List<RunnerEvent> events = simulate(List.of(), "flood", "1000");
        assertThat(lines(events)).hasSize(1000).startsWith("flood line 1 of 1000: the quick brown fox jumps over the lazy dog");
        assertThat(events).last().isEqualTo(new RunnerEvent.Exited(0, null));
    }

    @Test
    void withoutAnIoKeyItPromptsInPlainText() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exit = Simulator.run(List.of("backport", "4242"), Map.of("SPIDERPIG_SIMULATOR_PACE", "fast"),
                new ByteArrayInputStream("y\n\n".getBytes(StandardCharsets.UTF_8)), out);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("Backport the changes? [y/N] ").contains("Continue with sync? [y/N] ")
                .contains("Sync cancelled").doesNotContain("iokey");
        assertThat(exit).isEqualTo(1); // the empty second answer took the default: no
    }

    @Test
    void badArgumentsAreUsageErrors() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ByteArrayInputStream none = new ByteArrayInputStream(new byte[0]);
        assertThat(Simulator.run(List.of("backport", "12x"), Map.of(), none, out)).isEqualTo(2);
        assertThat(Simulator.run(List.of("backport"), Map.of(), none, out)).isEqualTo(2);
        assertThat(Simulator.run(List.of("juggle"), Map.of(), none, out)).isEqualTo(2);
        assertThat(Simulator.run(List.of("--pace", "warp", "flood", "1"), Map.of(), none, out)).isEqualTo(2);
    }
}
