package org.wikimedia.spiderpig.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wikimedia.spiderpig.support.TestScripts.spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.SpoolMark;
import org.wikimedia.spiderpig.supervisor.SupervisorCommand;
import org.wikimedia.spiderpig.support.TestScripts;
import reactor.core.publisher.Mono;

/**
 * Jobs under supervisors: the spool read back gives the same events as the pipes did, and reading on from
 * any event's mark gives exactly the events after it, which is what a restarted server relies on.
 */
class SupervisedLauncherTest {

    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private SupervisedLauncher launcher;

    private SupervisedLauncher launcher() {
        if (launcher == null) {
            launcher = new SupervisedLauncher(dir.resolve("supervisors"), SupervisorCommand.forThisJvm());
        }
        return launcher;
    }

    @AfterEach
    void close() {
        if (launcher != null) {
            launcher.close();
        }
    }

    @Test
    void readingOnFromAnyEventsMarkGivesExactlyTheEventsAfterIt() {
        Path script = TestScripts.write(dir, "mixed.sh", """
                for i in $(seq 1 200); do
                  echo "out $i"
                  if [ $((i % 7)) -eq 0 ]; then echo "err $i" >&2; fi
                  if [ $((i % 50)) -eq 0 ]; then printf 'a redrawn bar\\rthe bar done\\n'; fi
                done
                printf 'last line without newline'
                exit 3
                """);
        LaunchSpec spec = spec(1, script);
        List<RunnerEvent> events = launcher().launch(spec).block(DEADLINE).events().collectList().block(DEADLINE);

        List<RunnerEvent> plain = unmarked(events);
        assertThat(plain.get(plain.size() - 1)).isEqualTo(new RunnerEvent.Exited(3, null));
        assertThat(plain.stream().filter(e -> e instanceof RunnerEvent.Output o && o.text().startsWith("out "))).hasSize(200);
        assertThat(plain).contains(new RunnerEvent.Output(org.wikimedia.spiderpig.model.OutputLine.Stream.STDOUT,
                "the bar done", false));
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof RunnerEvent.Marked marked) {
                List<RunnerEvent> rest = unmarked(reattach(spec, marked.mark()));
                assertThat(rest).as("read on from the mark of event %d", i)
                        .containsExactlyElementsOf(unmarked(events.subList(i + 1, events.size())));
            }
        }
    }

    @Test
    void eachOfTheEventsOfOneLineCarriesAMarkThatReadsOnPastExactlyIt() {
        // A crash between two events of one line leaves the log with the first and its mark: reading on from
        // that mark must give the second and not the first again.
        String message = "{\"iokey\":\"" + TestScripts.KEY + "\",\"type\":";
        Path script = TestScripts.write(dir, "units.sh", """
                echo "before"
                printf '%%0500d\\n' 0
                printf '%%s\\n' '%1$s"line","line":"one\\ntwo\\nthree"}'
                printf '%%s\\n' '%1$s"interaction","subtype":"choices","prompt":"Go?","choices":{"Yes":"y"}}'
                printf 'on stderr %%0300d\\n' 0 >&2
                echo "after"
                printf '%%0250d' 0
                """.formatted(message));
        LaunchSpec base = spec(3, script);
        LaunchSpec spec = new LaunchSpec(base.jobId(), base.command(), base.workingDirectory(), base.environment(),
                base.ioKey(), List.of(), base.promptIdle(), 200, base.interruptGrace(), base.terminateGrace());
        List<RunnerEvent> events = launcher().launch(spec).block(DEADLINE).events().collectList().block(DEADLINE);

        // The supervisor reads the two pipes apart, so only each stream's own order is certain.
        assertThat(texts(events, OutputLine.Stream.STDOUT)).containsExactly("before",
                "0".repeat(200) + LineSplitter.CONTINUES_MARKER, "0".repeat(200) + LineSplitter.CONTINUES_MARKER,
                "0".repeat(100), "one", "two", "three", "Go? [Yes (y)]", "after",
                "0".repeat(200) + LineSplitter.CONTINUES_MARKER, "0".repeat(50));
        assertThat(texts(events, OutputLine.Stream.STDERR)).containsExactly(
                "on stderr " + "0".repeat(190) + LineSplitter.CONTINUES_MARKER, "0".repeat(110));
        assertThat(unmarked(events)).filteredOn(event -> event instanceof RunnerEvent.Prompt).hasSize(1);
        assertThat(events.subList(0, events.size() - 1)).as("every event read from the spool has its mark")
                .allMatch(event -> event instanceof RunnerEvent.Marked);
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof RunnerEvent.Marked marked) {
                assertThat(unmarked(reattach(spec, marked.mark()))).as("read on from the mark of event %d", i)
                        .containsExactlyElementsOf(unmarked(events.subList(i + 1, events.size())));
            }
        }
    }

    @Test
    void aPlainPromptsPartialLineMarkReadsOnToThePromptAlone() {
        // The crash between a plain prompt's partial line and the prompt: the next server is shown the
        // prompt, not the partial line a second time.
        Path script = TestScripts.write(dir, "ask-once.sh", """
                echo "before"
                printf 'Proceed? [y/N] '
                read -r answer
                echo "got $answer"
                """);
        LaunchSpec spec = new LaunchSpec(4, List.of(script.toString()), dir, java.util.Map.of(), TestScripts.KEY,
                List.of(), Duration.ofMillis(200), 64 * 1024, Duration.ofMillis(300), Duration.ofMillis(300));
        JobProcess first = launcher().launch(spec).block(DEADLINE);
        List<RunnerEvent> untilPrompt = first.events()
                .takeUntil(event -> event instanceof RunnerEvent.Marked m && m.event() instanceof RunnerEvent.Prompt)
                .collectList().block(DEADLINE);
        first.detach();
        assertThat(texts(untilPrompt)).containsExactly("before", "Proceed? [y/N] ");
        SpoolMark afterPartialLine = ((RunnerEvent.Marked) untilPrompt.get(1)).mark();
        assertThat(afterPartialLine.stdoutSkip()).isEqualTo(1);

        JobProcess second = launcher().reattach(spec, afterPartialLine).block(DEADLINE).orElseThrow();
        List<RunnerEvent> after = second.events()
                .concatMap(event -> event instanceof RunnerEvent.Marked m && m.event() instanceof RunnerEvent.Prompt
                        ? second.answer(8, "y").thenReturn(event) : Mono.just(event))
                .collectList().block(DEADLINE);
        List<RunnerEvent> plain = unmarked(after);
        assertThat(plain.get(0)).isInstanceOf(RunnerEvent.Prompt.class);
        assertThat(((RunnerEvent.Prompt) plain.get(0)).prompt()).isEqualTo("Proceed? [y/N]");
        assertThat(texts(after)).containsExactly("got y");
        assertThat(plain.get(plain.size() - 1)).isEqualTo(new RunnerEvent.Exited(0, null));
    }

    @Test
    void aPromptsMarkReadsOnAfterItsAnswer() throws Exception {
        Path script = TestScripts.write(dir, "ask.sh", """
                echo "before"
                printf 'Proceed? [y/N] '
                read -r answer
                echo "got $answer"
                # Alive until the test has sent the answer again; a second copy would be in the pipe by then.
                while [ ! -e answered-twice ]; do sleep 0.05; done
                if read -r -t 1 again; then echo "again $again"; fi
                """);
        LaunchSpec spec = new LaunchSpec(2, List.of(script.toString()), dir, java.util.Map.of(), TestScripts.KEY,
                List.of(PromptPattern.choices("\\[y/N\\] *$", java.util.Map.of("Yes", "y", "No", "n"), "n")), Duration.ofMillis(200), 64 * 1024,
                Duration.ofMillis(300), Duration.ofMillis(300));
        JobProcess process = launcher().launch(spec).block(DEADLINE);
        List<RunnerEvent> events = new ArrayList<>();
        process.events()
                .doOnNext(events::add)
                .concatMap(event -> event instanceof RunnerEvent.Marked marked && marked.event() instanceof RunnerEvent.Prompt
                        ? process.answer(7, "y").then(process.answer(7, "y"))
                                .then(Mono.fromCallable(() -> Files.createFile(dir.resolve("answered-twice"))))
                                .thenReturn(event) : Mono.just(event))
                .blockLast(DEADLINE);

        SpoolMark afterPrompt = events.stream()
                .filter(e -> e instanceof RunnerEvent.Marked m && m.event() instanceof RunnerEvent.Prompt)
                .map(e -> ((RunnerEvent.Marked) e).mark()).findFirst().orElseThrow();
        assertThat(afterPrompt.stdoutSwallow()).isTrue();
        assertThat(texts(events)).containsExactly("before", "Proceed? [y/N] ", "got y");
        assertThat(texts(reattach(spec, afterPrompt))).as("the answer was written once").containsExactly("got y");
        process.discard();
        assertThat(Files.exists(dir.resolve("supervisors/2"))).isFalse();
    }

    @Test
    void aSupervisorFromItsSmallJarAndClassDataArchiveRunsAJob() throws Exception {
        // As the server does from its executable jar: the supervisor package taken out of BOOT-INF/classes.
        Path serverJar = dir.resolve("server.jar");
        Path classes = Path.of(org.wikimedia.spiderpig.supervisor.Supervisor.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Start-Class", "org.wikimedia.spiderpig.SpiderPigApplication");
        Path supervisorClasses = classes.resolve("org/wikimedia/spiderpig/supervisor");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(serverJar), manifest);
             var files = Files.list(supervisorClasses)) {
            for (Path file : files.toList()) {
                out.putNextEntry(new java.util.jar.JarEntry("BOOT-INF/classes/" + classes.relativize(file)));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        List<String> command = SupervisorCommand.fromSmallJar(serverJar, dir.resolve("supervisor-jvm"));
        assertThat(command).anyMatch(option -> option.startsWith("-XX:SharedArchiveFile="));
        assertThat(SupervisorCommand.fromSmallJar(serverJar, dir.resolve("supervisor-jvm")))
                .as("made once, then found").isEqualTo(command);

        Path script = TestScripts.write(dir, "hello.sh", "echo hello from the small jar\nexit 5\n");
        try (SupervisedLauncher small = new SupervisedLauncher(dir.resolve("small"), command)) {
            List<RunnerEvent> events = small.launch(spec(5, script)).block(DEADLINE).events().collectList().block(DEADLINE);
            assertThat(texts(events)).containsExactly("hello from the small jar");
            assertThat(unmarked(events).get(events.size() - 1)).isEqualTo(new RunnerEvent.Exited(5, null));
        }
        assertThat(Files.readString(dir.resolve("small/5/supervisor.log"))).as("nothing to say").isEmpty();
    }

    private List<RunnerEvent> reattach(LaunchSpec spec, SpoolMark mark) {
        return launcher().reattach(spec, mark).block(DEADLINE).orElseThrow().events().collectList().block(DEADLINE);
    }

    private static List<RunnerEvent> unmarked(List<RunnerEvent> events) {
        return events.stream().map(e -> e instanceof RunnerEvent.Marked m ? m.event() : e).toList();
    }

    private static List<String> texts(List<RunnerEvent> events, OutputLine.Stream stream) {
        return unmarked(events).stream().filter(e -> e instanceof RunnerEvent.Output o && o.stream() == stream)
                .map(e -> ((RunnerEvent.Output) e).text()).toList();
    }

    private static List<String> texts(List<RunnerEvent> events) {
        return unmarked(events).stream().filter(e -> e instanceof RunnerEvent.Output)
                .map(e -> ((RunnerEvent.Output) e).text()).toList();
    }
}
