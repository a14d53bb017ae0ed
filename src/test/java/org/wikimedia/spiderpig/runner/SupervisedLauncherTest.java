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
    void aPromptsMarkReadsOnAfterItsAnswer() throws Exception {
        Path script = TestScripts.write(dir, "ask.sh", """
                echo "before"
                printf 'Proceed? [y/N] '
                read -r answer
                echo "got $answer"
                """);
        LaunchSpec spec = new LaunchSpec(2, List.of(script.toString()), dir, java.util.Map.of(), TestScripts.KEY,
                List.of(PromptPattern.choices("\\[y/N\\] *$", java.util.Map.of("Yes", "y", "No", "n"), "n")), Duration.ofMillis(200), 64 * 1024,
                Duration.ofMillis(300), Duration.ofMillis(300));
        JobProcess process = launcher().launch(spec).block(DEADLINE);
        List<RunnerEvent> events = new ArrayList<>();
        process.events()
                .doOnNext(events::add)
                .concatMap(event -> event instanceof RunnerEvent.Marked marked && marked.event() instanceof RunnerEvent.Prompt
                        ? process.answer(7, "y").then(process.answer(7, "y")).thenReturn(event) : Mono.just(event))
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

    private List<RunnerEvent> reattach(LaunchSpec spec, SpoolMark mark) {
        return launcher().reattach(spec, mark).block(DEADLINE).orElseThrow().events().collectList().block(DEADLINE);
    }

    private static List<RunnerEvent> unmarked(List<RunnerEvent> events) {
        return events.stream().map(e -> e instanceof RunnerEvent.Marked m ? m.event() : e).toList();
    }

    private static List<String> texts(List<RunnerEvent> events) {
        return unmarked(events).stream().filter(e -> e instanceof RunnerEvent.Output)
                .map(e -> ((RunnerEvent.Output) e).text()).toList();
    }
}
