package org.wikimedia.spiderpig.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

class SecretPatternsTest {

    private static final SecretPatterns SECRETS = SecretPatterns.defaults();

    /** For every built-in rule, by kind: lines holding that kind of secret and how they read masked. */
    private static final Map<String, Map<String, String>> EXAMPLES = new LinkedHashMap<>();

    static {
        example("secret assignment",
                "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "export AWS_SECRET_ACCESS_KEY=[REDACTED]");
        example("secret assignment", "mysql --user=wiki --password=hunter2 -h db1",
                "mysql --user=wiki --password=[REDACTED] -h db1");
        example("secret assignment", "passwd=s3cr3t&secret='a b'&token=\"t0k\" ok",
                "passwd=[REDACTED]&secret=[REDACTED]&token=[REDACTED] ok");
        example("secret assignment", "{\"client_secret\": \"a\\\"b\", \"gitlab-Token\":\"x\", \"id\": 4}",
                "{\"client_secret\": [REDACTED], \"gitlab-Token\":[REDACTED], \"id\": 4}");
        example("secret assignment", "  db_password: 'hunter2'", "  db_password: [REDACTED]");
        example("secret assignment", "apiKey: abc123 API_KEY = abc123; Api-Key=1", "apiKey: [REDACTED] API_KEY = [REDACTED]; Api-Key=[REDACTED]");
        example("secret assignment", "$privateKey => 'k', PRIVATE_KEY_FILE:=/etc/k",
                "$privateKey => [REDACTED], PRIVATE_KEY_FILE:=[REDACTED]");
        example("secret assignment", "DB_CREDENTIALS=u:p passphrase = pp PWD=/srv",
                "DB_CREDENTIALS=[REDACTED] passphrase = [REDACTED] PWD=[REDACTED]");
        example("Authorization header", "curl -H 'Authorization: Bearer abc.def-123' https://x",
                "curl -H 'Authorization: [REDACTED]");
        example("Authorization header", "Proxy-Authorization: Basic dXNlcjpwYXNz", "Proxy-Authorization: [REDACTED]");
        example("Cookie header", "Set-Cookie: session=9f8e7d; Path=/; HttpOnly", "Set-Cookie: [REDACTED]");
        example("Cookie header", "> cookie: enwikiSession=abc", "> cookie: [REDACTED]");
        example("bearer token", "sending bearer eyJhbGciOi.J9x_y to api", "sending bearer [REDACTED] to api");
        example("password in a URL", "git clone https://deployer:gerrit-http-pw@gerrit.wikimedia.org/r/core",
                "git clone https://deployer:[REDACTED]@gerrit.wikimedia.org/r/core");
        example("private key in one line",
                "{\"pem\": \"-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIB\\n-----END EC PRIVATE KEY-----\\n\"}",
                "{\"pem\": \"-----BEGIN EC PRIVATE KEY-----[REDACTED]-----END EC PRIVATE KEY-----\\n\"}");
        example("AWS access key id", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "aws_access_key_id = [REDACTED]");
        example("AWS access key id", "temporary ASIA" + "Q2W3E4R5T6Y7U8I9 used", "temporary [REDACTED] used");
        example("Azure storage or service bus key",
                "DefaultEndpointsProtocol=https;AccountName=wiki;AccountKey=" + "Zm9vYmFy".repeat(4) + "==;EndpointSuffix=x",
                "DefaultEndpointsProtocol=https;AccountName=wiki;AccountKey=[REDACTED];EndpointSuffix=x");
        example("Google API key", "maps key AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY loaded", "maps key [REDACTED] loaded");
        example("Google OAuth secret or token", "GOCSPX-" + "a1B2_c3D".repeat(3) + "e4F5 and ya29.a0AfH6SMBx" + "Yz".repeat(20),
                "[REDACTED] and [REDACTED]");
        example("GitHub token", "token ghp_abcdefghijklmnopqrstuvwxyz0123456789 used", "token [REDACTED] used");
        example("GitHub token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "[REDACTED]");
        example("GitLab token", "glpat-" + "xY3_z".repeat(4) + " gldt-" + "Ab12".repeat(6) + " GR1348941" + "q".repeat(20),
                "[REDACTED] [REDACTED] [REDACTED]");
        example("Slack token", "posting with xoxb-2423-1234567890-abcdefABCDEF", "posting with [REDACTED]");
        example("Slack webhook", "notify https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                "notify https://hooks.slack.com/services/[REDACTED]");
        example("JSON Web Token", "jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZXBsb3kifQ.c2lnbmF0dXJl-_x here",
                "jwt=[REDACTED] here");
        example("Stripe key", "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc" + " rk_test_" + "a".repeat(24), "[REDACTED] [REDACTED]");
        example("OpenAI or Anthropic key", "sk-proj-" + "Ab3_".repeat(10) + " sk-ant-api03-" + "Xy9-".repeat(20),
                "[REDACTED] [REDACTED]");
        example("SendGrid key", "SG." + "abcdEFGH_-12".repeat(2).substring(0, 22) + "." + "ab-CD_ef12345".repeat(4).substring(0, 43),
                "[REDACTED]");
        example("Twilio API key", "twilio SK" + "0123456789abcdef".repeat(2), "twilio [REDACTED]");
        example("Mailchimp key", "mc " + "0123456789abcdef".repeat(2) + "-us6", "mc [REDACTED]");
        example("Telegram bot token", "bot 123456789:AA" + "Hd0-_xYz".repeat(4) + "q", "bot [REDACTED]");
        example("npm token", "//registry.npmjs.org/:_authToken npm_" + "a1B2c3".repeat(6),
                "//registry.npmjs.org/:_authToken [REDACTED]");
        example("PyPI token", "pypi-AgEIcHlwaS5vcmc" + "CJDU3YTQ1".repeat(6), "[REDACTED]");
        example("Artifactory key", "AKCp" + "8jQ7tR2x".repeat(9).substring(0, 69), "[REDACTED]");
        example("HashiCorp Vault token", "VAULT hvs." + "CAESIJ_x-".repeat(4), "VAULT [REDACTED]");
        example("Hugging Face token", "hf_" + "abcdefghijklmnopqrstuvwxyzABCDEFGH", "[REDACTED]");
        example("DigitalOcean token", "dop_v1_" + "0123456789abcdef".repeat(4), "[REDACTED]");
        example("Shopify token", "shpat_" + "0123456789ABCDEF".repeat(2), "[REDACTED]");
    }

    private static void example(String kind, String line, String masked) {
        EXAMPLES.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(line, masked);
    }

    @Test
    void everyBuiltInRuleHasExamplesAndMasksThem() {
        assertThat(EXAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(
                SecretPatterns.defaultRules().stream().map(SecretRule::kind).toList());
        EXAMPLES.forEach((kind, lines) -> lines.forEach((line, masked) ->
                assertThat(SECRETS.redact(line)).as("%s: %s", kind, line).isEqualTo(masked)));
    }

    @Test
    void whatTheIssueFoundPassingThroughIsMasked() {
        assertThat(SECRETS.redact("export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
                .doesNotContain("wJalr");
        for (String quoted : List.of("aws_secret_access_key: wJalrXUtn", "\"AwsSecretAccessKey\": \"wJalrXUtn\"",
                "'aws-secret-access-key': 'wJalrXUtn'", "AWS_SECRET_ACCESS_KEY = \"wJalrXUtn\"")) {
            assertThat(SECRETS.redact(quoted)).as(quoted).doesNotContain("wJalrXUtn").contains(SecretPatterns.REDACTED);
        }
    }

    /** What deploy logs are full of; the recorded scap runs are checked by ScapTranscriptMaskingTest. */
    @Test
    void deployLogLinesAreLeftAlone() {
        for (String line : List.of(
                "Checking for new runtime errors locally", "tokens: 12 processed", "password reset page deployed",
                "https://gerrit.wikimedia.org/r/c/mediawiki/core/+/12345",
                "http://gerrit.traindev:8080/mediawiki/core checked out at commit 7ec4b816cd749910d1c46aef7f9c76c6a4b09361",
                "ssh://deployer@gerrit.wikimedia.org:29418/mediawiki/core.git",
                "Collecting commit for Id49da928ab515fd1d6fc2f32f53f655a6f9c1507...",
                "Change-Id: I0123456789abcdef0123456789abcdef01234567",
                "MediaWiki wmf/1.44.0-wmf.6 successfully checked out.", "php-1.44.0-wmf.8 (rev 6ac8917433a9)",
                "sync-testservers: 100% (in-flight: 0; ok: 1; fail: 0; left: 0)",
                "rotate-secrets:  50% (ok: 1; fail: 0; left: 1)", "private-key-rotation: 100% (ok: 1; fail: 0; left: 0)",
                "06:39:51 Finished scap sync-world (duration: 02m 15s)", "Per-host sync duration: average 3.7s, median 3.7s",
                "rsync transfer: average 364,670 bytes/host, total 364,670 bytes",
                "image sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "Enter token: ", "-----BEGIN RSA PRIVATE KEY-----", "tick 120 1763805600123456")) {
            assertThat(SECRETS.redact(line)).as(line).isSameAs(line);
        }
    }

    @Test
    void aLineWithoutAnyHintRunsNoRule() {
        assertThat(SECRETS.candidates("tick 120 1763805600123456")).isZero();
        assertThat(SECRETS.candidates("Syncing 3 files to 12 hosts...")).isZero();
        assertThat(Long.bitCount(SECRETS.candidates("Update http://gerrit.traindev:8080/mediawiki/core"))).isEqualTo(1);
    }

    /**
     * The scan may only skip a rule when the rule cannot match: every match of every example, in any case
     * the rule accepts, holds one of its hints. Random case changes and cuts of the examples check it.
     */
    @Test
    void theScanNeverSkipsARuleThatMatches() {
        List<SecretRule> rules = SecretPatterns.defaultRules();
        Random random = new Random(20261129);
        for (int index = 0; index < rules.size(); index++) {
            SecretRule rule = rules.get(index);
            for (String example : EXAMPLES.get(rule.kind()).keySet()) {
                for (int variant = 0; variant < 300; variant++) {
                    String text = variant == 0 ? example : variation(example, random);
                    Matcher matcher = rule.pattern().matcher(text);
                    if (matcher.find()) {
                        assertThat(SECRETS.candidates(text) & (1L << index)).as("%s: %s", rule.kind(), text).isNotZero();
                    }
                }
            }
        }
    }

    private static String variation(String example, Random random) {
        StringBuilder text = new StringBuilder(example);
        for (int changes = 1 + random.nextInt(4); changes > 0; changes--) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(3)) {
                case 0 -> text.setCharAt(at, Character.toUpperCase(text.charAt(at)));
                case 1 -> text.setCharAt(at, Character.toLowerCase(text.charAt(at)));
                default -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(8)));
            }
            if (text.isEmpty()) {
                return example;
            }
        }
        return text.toString();
    }

    @Test
    void configuredPatternsAloneHaveNoBuiltInRules() {
        SecretPatterns custom = SecretPatterns.of(List.of("pin (?<secret>\\d+)"));

        assertThat(custom.redact("pin 1234 password=kept")).isEqualTo("pin [REDACTED] password=kept");
    }
}
