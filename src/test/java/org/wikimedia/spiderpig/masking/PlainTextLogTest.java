package org.wikimedia.spiderpig.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.model.EventPayload;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.StatusChanged;
import reactor.core.publisher.Flux;

class PlainTextLogTest {

    private final PlainTextLog text = new PlainTextLog(EventMasker.withDefaults());

    private static Flux<JobEvent> events(EventPayload... payloads) {
        List<JobEvent> events = new ArrayList<>();
        for (EventPayload payload : payloads) {
            events.add(new JobEvent(1, events.size() + 1, Instant.EPOCH, payload));
        }
        return Flux.fromIterable(events);
    }

    private static OutputLine out(long n, String text) {
        return new OutputLine(n, OutputLine.Stream.STDOUT, text, false);
    }

    private static OutputLine hidden(long n) {
        return new OutputLine(n, OutputLine.Stream.STDOUT, "secret " + n, true);
    }

    private String render(Flux<JobEvent> events, boolean stripAnsi) {
        return String.join("", text.render(events, stripAnsi).collectList().block());
    }

    @Test
    void runsOfSensitiveLinesBecomeOneMarkerLine() {
        String rendered = render(events(out(1, "a"), hidden(2), hidden(3), hidden(4), new StatusChanged("s"),
                out(5, "password=x"), hidden(6), out(7, "b"), hidden(8), hidden(9)), false);

        assertThat(rendered).isEqualTo("a\n[3 sensitive lines hidden]\npassword=[REDACTED]\n"
                + "[1 sensitive line hidden]\nb\n[2 sensitive lines hidden]\n");
        assertThat(rendered).doesNotContain("secret");
    }

    @Test
    void aLongHiddenRunIsCountedNotBuffered() {
        Flux<JobEvent> many = Flux.range(1, 1_000_000)
                .map(n -> new JobEvent(1, n, Instant.EPOCH, hidden(n)));

        assertThat(text.render(many, false).collectList().block()).containsExactly("[1000000 sensitive lines hidden]\n");
    }

    @Test
    void ansiIsKeptOrStripped() {
        Flux<JobEvent> coloured = events(out(1, "\u001b[32mok\u001b[0m \u001b]0;title\u0007done"));

        assertThat(render(coloured, false)).isEqualTo("\u001b[32mok\u001b[0m \u001b]0;title\u0007done\n");
        assertThat(render(coloured, true)).isEqualTo("ok done\n");
        assertThat(render(events(), false)).isEmpty();
    }
}
