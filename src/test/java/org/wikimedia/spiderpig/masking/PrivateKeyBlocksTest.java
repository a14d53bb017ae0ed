package org.wikimedia.spiderpig.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.model.OutputLine.Stream;
import org.wikimedia.spiderpig.model.OutputLine;

class PrivateKeyBlocksTest {

    private final PrivateKeyBlocks blocks = new PrivateKeyBlocks();

    /** Feeds the lines one at a time, as the job's output arrives, and gives what would be appended. */
    private List<OutputLine> append(Stream stream, String... texts) {
        List<OutputLine> appended = new ArrayList<>();
        for (String text : texts) {
            appended.addAll(blocks.lines(OutputLine.unnumbered(stream, text, false)));
        }
        return appended;
    }

    private static List<Boolean> sensitivity(List<OutputLine> lines) {
        return lines.stream().map(OutputLine::sensitive).toList();
    }

    @Test
    void everyLineFromBeginToEndIsSensitive() {
        List<OutputLine> lines = append(Stream.STDOUT, "export AWS_REGION=x", "-----BEGIN RSA PRIVATE KEY-----",
                "MIIEowIBAAKCAQEAv3hV", "Zm9vYmFy", "-----END RSA PRIVATE KEY-----", "Deploy finished");

        assertThat(sensitivity(lines)).containsExactly(false, true, true, true, true, false);
        assertThat(lines).extracting(OutputLine::text).containsExactly("export AWS_REGION=x",
                "-----BEGIN RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEAv3hV", "Zm9vYmFy", "-----END RSA PRIVATE KEY-----",
                "Deploy finished");
    }

    @Test
    void theBlockSpansSeparateArrivalsAndEveryKindOfKey() {
        for (String kind : List.of("", "RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED ")) {
            assertThat(sensitivity(append(Stream.STDERR, "\u001b[33m-----BEGIN " + kind + "PRIVATE KEY-----"))).containsExactly(true);
            assertThat(sensitivity(append(Stream.STDERR, "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"))).containsExactly(true);
            assertThat(sensitivity(append(Stream.STDERR, "-----END " + kind + "PRIVATE KEY-----\u001b[0m"))).containsExactly(true);
            assertThat(sensitivity(append(Stream.STDERR, "after"))).containsExactly(false);
        }
        assertThat(sensitivity(append(Stream.STDOUT, "-----BEGIN PGP PRIVATE KEY BLOCK-----", "", "lQOYBF",
                "-----END PGP PRIVATE KEY BLOCK-----", "after"))).containsExactly(true, true, true, true, false);
    }

    @Test
    void aKeyInOneLineIsLeftToTheReadTimeRule() {
        assertThat(sensitivity(append(Stream.STDOUT,
                "{\"pem\":\"-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n\"}", "next")))
                .containsExactly(false, false);
    }

    @Test
    void publicKeysAndCertificatesAreNotBlocks() {
        assertThat(sensitivity(append(Stream.STDOUT, "-----BEGIN PUBLIC KEY-----", "MIIBIjAN", "-----END PUBLIC KEY-----",
                "-----BEGIN CERTIFICATE-----", "MIIDdz", "-----END CERTIFICATE-----"))).containsOnly(false);
    }

    @Test
    void eachStreamHasItsOwnBlock() {
        assertThat(sensitivity(append(Stream.STDOUT, "-----BEGIN RSA PRIVATE KEY-----", "MIIE"))).containsOnly(true);
        assertThat(sensitivity(append(Stream.STDERR, "warning: slow disk", "-----END RSA PRIVATE KEY-----")))
                .containsExactly(false, false);
        assertThat(sensitivity(append(Stream.STDOUT, "AAAA", "-----END RSA PRIVATE KEY-----", "done")))
                .containsExactly(true, true, false);
    }

    @Test
    void lineTheSubprocessMarkedSensitiveStaysSo() {
        OutputLine marked = OutputLine.unnumbered(Stream.STDOUT, "patch T999999 applied", true);

        assertThat(blocks.lines(marked)).containsExactly(marked);
    }

    @Test
    void aBlockWithoutEndHidesBoundedlyManyLinesThenSaysSo() {
        List<String> texts = new ArrayList<>();
        texts.add("-----BEGIN OPENSSH PRIVATE KEY-----");
        for (int i = 1; i < PrivateKeyBlocks.MAX_BLOCK_LINES + 50; i++) {
            texts.add("b3BlbnNzaC1rZXktdjE" + i);
        }

        List<OutputLine> lines = append(Stream.STDOUT, texts.toArray(String[]::new));

        int bound = PrivateKeyBlocks.MAX_BLOCK_LINES;
        assertThat(lines).hasSize(texts.size() + 1);
        assertThat(lines.subList(0, bound)).allMatch(OutputLine::sensitive);
        assertThat(lines.get(bound)).isEqualTo(OutputLine.unnumbered(Stream.STDERR, PrivateKeyBlocks.STOPPED_NOTE, false));
        assertThat(lines.get(bound).text()).startsWith("[spiderpig] masking stopped");
        assertThat(lines.subList(bound + 1, lines.size())).noneMatch(OutputLine::sensitive);
    }

    @Test
    void aKeyStartingInsideAnUnendedOneRestartsTheBound() {
        append(Stream.STDOUT, "-----BEGIN RSA PRIVATE KEY-----");
        for (int i = 2; i < PrivateKeyBlocks.MAX_BLOCK_LINES; i++) {
            append(Stream.STDOUT, "AAAA");
        }
        List<OutputLine> next = append(Stream.STDOUT, "-----BEGIN EC PRIVATE KEY-----", "MHcC", "-----END EC PRIVATE KEY-----");

        assertThat(next).hasSize(3).allMatch(OutputLine::sensitive);
    }
}
