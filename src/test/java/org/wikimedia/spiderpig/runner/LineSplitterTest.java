package org.wikimedia.spiderpig.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    private final LineSplitter splitter = new LineSplitter(64);

    private List<String> feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return splitter.feed(bytes, 0, bytes.length);
    }

    @Test
    void newlineEndsALineAndCrLfIsOneEnding() {
        assertThat(feed("one\ntwo\r\nthree")).containsExactly("one", "two");
        assertThat(splitter.partial()).isEqualTo("three");
        assertThat(splitter.finish()).containsExactly("three");
        assertThat(splitter.finish()).isEmpty();
    }

    @Test
    void emptyLinesAreKept() {
        assertThat(feed("\n\na\n")).containsExactly("", "", "a");
    }

    @Test
    void carriageReturnRedrawsKeepOnlyTheFinalState() {
        assertThat(feed("progress 10%\rprogress 50%\rprogress 100%\nnext\n"))
                .containsExactly("progress 100%", "next");
    }

    @Test
    void redrawSplitAcrossChunksIsStillOneLine() {
        assertThat(feed("copying  1%\r")).isEmpty();
        assertThat(splitter.partial()).isEqualTo("copying  1%");
        assertThat(feed("copying 99%\r")).isEmpty();
        assertThat(feed("\n")).containsExactly("copying 99%");
    }

    @Test
    void aLineEndedByCarriageReturnAtEndOfStreamIsKept() {
        assertThat(feed("almost done\r")).isEmpty();
        assertThat(splitter.finish()).containsExactly("almost done");
    }

    @Test
    void longLinesAreCutAtTheCapWithAMarker() {
        String line = "x".repeat(150);
        List<String> lines = new ArrayList<>(feed(line + "\n"));
        assertThat(lines).containsExactly(
                "x".repeat(64) + LineSplitter.CONTINUES_MARKER,
                "x".repeat(64) + LineSplitter.CONTINUES_MARKER,
                "x".repeat(22));
    }

    @Test
    void aLineOfExactlyTheCapIsNotCut() {
        assertThat(feed("y".repeat(64) + "\n")).containsExactly("y".repeat(64));
    }

    @Test
    void cutsNeverSplitAUtf8Character() {
        // 63 ASCII bytes, then a 3-byte character straddling the cap
        String line = "a".repeat(63) + "€" + "b";
        List<String> lines = feed(line + "\n");
        assertThat(lines).containsExactly("a".repeat(63) + LineSplitter.CONTINUES_MARKER, "€b");
        assertThat(String.join("", lines).replace(LineSplitter.CONTINUES_MARKER, "")).isEqualTo(line);
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        byte[] bytes = {'o', 'k', (byte) 0xff, (byte) 0xc3, '\n', (byte) 0xe2, (byte) 0x82, (byte) 0xac, '\n'};
        assertThat(splitter.feed(bytes, 0, bytes.length)).containsExactly("ok\uFFFD\uFFFD", "€");
    }

    @Test
    void aMultiByteCharacterSplitAcrossReadsIsDecodedWhole() {
        byte[] euro = "€\n".getBytes(StandardCharsets.UTF_8);
        assertThat(splitter.feed(euro, 0, 1)).isEmpty();
        assertThat(splitter.feed(euro, 1, euro.length - 1)).containsExactly("€");
    }

    @Test
    void takingThePartialLineAsAPromptSwallowsTheNewlineThatEndsIt() {
        feed("Continue? [y/N] ");
        assertThat(splitter.takePartial()).isEqualTo("Continue? [y/N] ");
        assertThat(splitter.hasPartial()).isFalse();
        assertThat(feed("\nafter\n")).containsExactly("after");
    }

    @Test
    void textAfterATakenPromptStartsANewLine() {
        feed("Name: ");
        splitter.takePartial();
        assertThat(feed("hello\n")).containsExactly("hello");
    }
}
