package org.wikimedia.spiderpig.masking;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wikimedia.spiderpig.model.OutputLine;

/**
 * Marks the lines of a private key printed over several lines sensitive, from its
 * {@code -----BEGIN … PRIVATE KEY-----} line to its {@code -----END … PRIVATE KEY-----} line, as the job's
 * output is appended to its log. Deciding at append time, not at read time, is what lets every reader
 * agree: a range read from the middle of a key, a stream resumed inside one and a download all see the
 * same lines hidden, because the log itself says which lines are sensitive.
 *
 * <p>One instance per job run, fed the job's output lines in order (not thread-safe). Each stream has its
 * own block: a key on stdout is not ended by an END line on stderr. A block whose END line never comes
 * hides at most {@value #MAX_BLOCK_LINES} lines, then a note says that masking stopped.
 */
public final class PrivateKeyBlocks {

    /** Larger than any real key: an RSA 8192 or a PGP key with subkeys is about 100 lines of 64 characters. */
    public static final int MAX_BLOCK_LINES = 200;

    public static final String STOPPED_NOTE = "[spiderpig] masking stopped: this private key block had no END line"
            + " within " + MAX_BLOCK_LINES + " lines, so the lines after this one are shown";

    private static final Pattern BEGIN = Pattern.compile("-{4,5} ?BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)? ?-{4,5}");
    private static final Pattern END = Pattern.compile("-{4,5} ?END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)? ?-{4,5}");

    /** Per stream: lines of the open block so far, 0 outside a block. */
    private final int[] blockLines = new int[OutputLine.Stream.values().length];

    /**
     * What to append for this output line: the line itself (sensitive when it belongs to a block), and
     * after a block's last line that may be hidden, the note that masking stopped.
     */
    public List<OutputLine> lines(OutputLine line) {
        int stream = line.stream().ordinal();
        String text = line.text();
        if (startsUnendedKey(text)) {
            // A new key; one that starts before the last one ended restarts the bound.
            blockLines[stream] = 1;
            return List.of(sensitive(line));
        }
        if (blockLines[stream] == 0) {
            // No key, or all of a key in this line: the read-time rule redacts that one.
            return List.of(line);
        }
        if (hasEnd(text, 0)) {
            blockLines[stream] = 0;
            return List.of(sensitive(line));
        }
        if (++blockLines[stream] < MAX_BLOCK_LINES) {
            return List.of(sensitive(line));
        }
        blockLines[stream] = 0;
        return List.of(sensitive(line), OutputLine.unnumbered(OutputLine.Stream.STDERR, STOPPED_NOTE, false));
    }

    /** Whether the text has a BEGIN marker with no END marker after it. */
    private static boolean startsUnendedKey(String text) {
        if (!text.contains("BEGIN ")) {
            return false;
        }
        Matcher begin = BEGIN.matcher(text);
        int after = -1;
        while (begin.find()) {
            after = begin.end();
        }
        return after >= 0 && !hasEnd(text, after);
    }

    private static boolean hasEnd(String text, int from) {
        return text.indexOf("END ", from) >= 0 && END.matcher(text).region(from, text.length()).find();
    }

    private static OutputLine sensitive(OutputLine line) {
        return line.sensitive() ? line : new OutputLine(line.line(), line.stream(), line.text(), true);
    }
}
