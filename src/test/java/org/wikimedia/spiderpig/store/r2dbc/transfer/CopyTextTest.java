package org.wikimedia.spiderpig.store.r2dbc.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** COPY's text format: what its reader would take for a separator, an end of row or an escape is escaped. */
class CopyTextTest {

    @Test
    void writesFieldsSeparatedByTabsAndRowsEndedByNewlines() {
        CopyText rows = new CopyText(16);
        rows.field(7).field(1).nullField().ascii("2026-11-30T08:00:00.001Z").field(utf8("{}")).endRow();
        rows.field(7).field(2).field(1).ascii("2026-11-30T08:00:00.002Z").field(utf8("x")).endRow();

        assertThat(taken(rows)).isEqualTo("7\t1\t\\N\t2026-11-30T08:00:00.001Z\t{}\n"
                + "7\t2\t1\t2026-11-30T08:00:00.002Z\tx\n");
    }

    @Test
    void escapesBackslashesTabsNewlinesAndCarriageReturnsAndKeepsEveryOtherByte() {
        String text = "a\\b\tc\nd\re \\N \\t \u00e9 \u20ac \uD83D\uDC37 \u007f";
        CopyText rows = new CopyText(4);

        rows.field(utf8(text)).endRow();

        assertThat(taken(rows)).isEqualTo("a\\\\b\\tc\\nd\\re \\\\N \\\\t \u00e9 \u20ac \uD83D\uDC37 \u007f\n");
    }

    @Test
    void refusesANulByteThatPostgresqlTextCannotHold() {
        CopyText rows = new CopyText(16);

        assertThatThrownBy(() -> rows.field(new byte[] {'a', 0, 'b'})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void takingLeavesItEmptyForTheNextChunkEvenAfterALongValue() {
        CopyText rows = new CopyText(8);
        rows.field(utf8("y".repeat(1000))).endRow();

        assertThat(taken(rows)).hasSize(1001);
        assertThat(rows.size()).isZero();
        rows.field(1).endRow();
        assertThat(taken(rows)).isEqualTo("1\n");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String taken(CopyText rows) {
        ByteBuf chunk = rows.take();
        try {
            return chunk.toString(StandardCharsets.UTF_8);
        } finally {
            chunk.release();
        }
    }
}
