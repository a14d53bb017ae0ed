package org.wikimedia.spiderpig.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SecretPatternsTest {

    /** What the default patterns need, as a regular expression: the scan must agree with it. */
    private static final Pattern NEEDED = Pattern.compile("(?i)authorization|bearer|=|://|gh[pousr]_|github_pat_|glpat-");
    private static final List<String> PIECES = List.of("a", "B", "g", "h", "p", "_", ":", "/", "=", "-", " ", "x",
            "Authorization", "BEARER", "gho_", "GHS_", "github_pat_", "GitHub_PAT_", "glpat-", "GLPAT-", "://", ":/",
            "authorizatio", "beare", "gh_", "ghx_", "github_pa", "glpat", "tick 12 345");

    @Test
    void theScanFindsExactlyWhatTheDefaultPatternsNeed() {
        Random random = new Random(20261122);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int pieces = random.nextInt(6); pieces > 0; pieces--) {
                text.append(PIECES.get(random.nextInt(PIECES.size())));
            }
            String line = text.toString();
            assertThat(SecretPatterns.mayHoldDefaultSecret(line)).as("\"%s\"", line).isEqualTo(NEEDED.matcher(line).find());
        }
    }

    @Test
    void plainOutputNeedsNoPattern() {
        assertThat(SecretPatterns.mayHoldDefaultSecret("tick 120 1763805600123456")).isFalse();
        assertThat(SecretPatterns.mayHoldDefaultSecret("Syncing 3 files to 12 hosts...")).isFalse();
        assertThat(SecretPatterns.mayHoldDefaultSecret("curl -H 'Authorization: Bearer abc'")).isTrue();
    }
}
