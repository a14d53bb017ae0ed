package org.wikimedia.spiderpig.masking;

import java.util.regex.Pattern;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A job's output as plain text (the {@code text/plain} range answer and {@code log.txt}): masked, one
 * line per output line, a run of consecutive sensitive lines collapsed into one line
 * {@code [N sensitive lines hidden]} ({@code [1 sensitive line hidden]} for one). Streams: a run is
 * counted, never buffered, so a million hidden lines cost no memory.
 */
public final class PlainTextLog {

    /** CSI sequences (colours, cursor moves) and OSC sequences (titles, links). */
    private static final Pattern ANSI =
            Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)|\u001B[@-Z\\\\-_]");

    private final EventMasker masker;

    public PlainTextLog(EventMasker masker) {
        this.masker = masker;
    }

    /**
     * Chunks of text, each one or more whole lines ending with {@code \n}. Non-line events are skipped.
     *
     * @param stripAnsi remove ANSI escape sequences ({@code ?ansi=strip})
     */
    public Flux<String> render(Flux<JobEvent> events, boolean stripAnsi) {
        return Flux.defer(() -> {
            long[] hiddenRun = {0};
            Flux<String> visible = events.handle((event, sink) -> {
                if (!(event.payload() instanceof OutputLine line)) {
                    return;
                }
                if (line.sensitive()) {
                    hiddenRun[0]++;
                    return;
                }
                String text = masker.mask(line).text();
                if (stripAnsi) {
                    text = stripAnsi(text);
                }
                String chunk = text + "\n";
                if (hiddenRun[0] > 0) {
                    chunk = hiddenMarker(hiddenRun[0]) + "\n" + chunk;
                    hiddenRun[0] = 0;
                }
                sink.next(chunk);
            });
            return visible.concatWith(Mono.fromSupplier(() -> hiddenRun[0] > 0 ? hiddenMarker(hiddenRun[0]) + "\n" : "")
                    .filter(rest -> !rest.isEmpty()));
        });
    }

    public static String hiddenMarker(long count) {
        return "[" + count + (count == 1 ? " sensitive line hidden]" : " sensitive lines hidden]");
    }

    public static String stripAnsi(String text) {
        return text.indexOf('\u001B') < 0 ? text : ANSI.matcher(text).replaceAll("");
    }
}
