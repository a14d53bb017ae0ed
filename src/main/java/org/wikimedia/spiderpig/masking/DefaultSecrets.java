package org.wikimedia.spiderpig.masking;

import static org.wikimedia.spiderpig.masking.SecretRule.anyCase;
import static org.wikimedia.spiderpig.masking.SecretRule.of;

import java.util.List;

/**
 * The built-in secret rules. Their kinds follow the rule sets of the open-source secret scanners
 * (gitleaks, detect-secrets); the expressions are written here. Each one is tuned not to fire on what
 * deploy logs are full of (git SHAs, Change-Ids, Gerrit URLs, versions, timing and progress tables):
 * token shapes need their vendor's prefix, and generic assignments need a secret-like name.
 */
final class DefaultSecrets {

    /** Characters of a name in {@code name=value}: a name ends where any other character starts. */
    private static final String NAME_CHAR = "[A-Za-z0-9_.-]";

    /** A JSON string, a single-quoted string, or a bare word up to a separator. */
    private static final String VALUE = "(?<secret>\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|[^\\s&\"',;]+)";

    static final List<SecretRule> RULES = List.of(
            // A name holding a secret word, then =, :, := or =>, then a value; the name may be quoted
            // (JSON, YAML). After the word comes the end of the name, a separator, a digit or a capital
            // (camelCase), so "tokens: 12" or "password reset" are not assignments. A percentage is a
            // progress figure, never a secret.
            anyCase("secret assignment",
                    "(?<!" + NAME_CHAR + ")[\"']?" + NAME_CHAR + "*?"
                            + "(?i:secret|token|passw(?:or)?d|passphrase|pwd|api[_.-]?key|private[_.-]?key|credential)"
                            + "(?:[A-Z0-9_.-]" + NAME_CHAR + "*)?[\"']?\\s*(?::=|=>|[=:])\\s*(?!\\d{1,3}%)" + VALUE,
                    "secret", "token", "passw", "passphrase", "pwd", "apikey", "api_key", "api-key", "api.key",
                    "privatekey", "private_key", "private-key", "private.key", "credential"),
            anyCase("Authorization header",
                    "(?i)\\b(?:proxy-)?authorization\\s*:\\s*(?<secret>\\S.*?)\\s*$", "authorization"),
            anyCase("Cookie header", "(?i)\\b(?:set-)?cookie\\s*:\\s*(?<secret>\\S.*?)\\s*$", "cookie"),
            anyCase("bearer token", "(?i)\\bbearer\\s+(?<secret>[A-Za-z0-9\\-._~+/]+=*)", "bearer"),
            of("password in a URL", "(?i)\\b[a-z][a-z0-9+.-]*://[^/\\s:@]+:(?<secret>[^/\\s@]+)@", "://"),
            // The BEGIN and END lines stay readable; a key over several lines is PrivateKeyBlocks' work.
            of("private key in one line",
                    "-{4,5} ?BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)? ?-{4,5}(?!-)(?<secret>.+?)"
                            + "(?:-{4,5} ?END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)? ?-{4,5}|$)", "BEGIN "),
            of("AWS access key id", "\\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\\b",
                    "A3T", "AKIA", "ASIA", "ABIA", "ACCA"),
            anyCase("Azure storage or service bus key",
                    "(?i)\\b(?:AccountKey|SharedAccessKey)\\s*=\\s*(?<secret>[0-9A-Za-z+/=]{20,})",
                    "accountkey", "sharedaccesskey"),
            of("Google API key", "\\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])", "AIza"),
            of("Google OAuth secret or token", "\\b(?:GOCSPX-[0-9A-Za-z_-]{28}|ya29\\.[0-9A-Za-z_-]{20,})",
                    "GOCSPX-", "ya29."),
            of("GitHub token", "\\b(?:gh[pousr]_[0-9A-Za-z]{36,255}|github_pat_[0-9A-Za-z_]{22,255})\\b",
                    "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
            of("GitLab token",
                    "\\b(?:gl(?:pat|dt|rt|ptt|cbt|oas|soat|ft|imt|agent|ffct)-[0-9A-Za-z_-]{20,}"
                            + "|GR1348941[0-9A-Za-z_-]{20,})",
                    "glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "gloas-", "glsoat-", "glft-", "glimt-",
                    "glagent-", "glffct-", "GR1348941"),
            of("Slack token", "\\b(?:xox[abposre]|xapp-\\d)-[0-9A-Za-z-]{10,}", "xox", "xapp-"),
            of("Slack webhook",
                    "\\bhooks\\.slack\\.com/(?:services|workflows|triggers)/(?<secret>[0-9A-Za-z_/+-]{16,})",
                    "hooks.slack.com"),
            of("JSON Web Token", "\\beyJ[0-9A-Za-z_-]{8,}\\.eyJ[0-9A-Za-z_-]{8,}\\.[0-9A-Za-z_-]*", "eyJ"),
            of("Stripe key", "\\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}", "k_live_", "k_test_"),
            of("OpenAI or Anthropic key",
                    "\\bsk-(?:(?:proj|svcacct|admin)-[0-9A-Za-z_-]{20,}|ant-(?:api|admin)\\d\\d-[0-9A-Za-z_-]{40,}"
                            + "|[0-9A-Za-z]{20}T3BlbkFJ[0-9A-Za-z]{20})",
                    "sk-"),
            of("SendGrid key", "\\bSG\\.[0-9A-Za-z_-]{22}\\.[0-9A-Za-z_-]{43}(?![0-9A-Za-z_-])", "SG."),
            of("Twilio API key", "\\bSK[0-9a-fA-F]{32}\\b", "SK"),
            of("Mailchimp key", "\\b[0-9a-f]{32}-us\\d{1,2}\\b", "-us"),
            of("Telegram bot token", "\\b\\d{8,10}:AA[0-9A-Za-z_-]{33}(?![0-9A-Za-z_-])", ":AA"),
            of("npm token", "\\bnpm_[0-9A-Za-z]{36}\\b", "npm_"),
            of("PyPI token", "\\bpypi-AgEIcHlwaS5vcmc[0-9A-Za-z_-]{50,}", "pypi-AgEIcHlwaS5vcmc"),
            of("Artifactory key", "\\bAKCp[0-9A-Za-z]{69}\\b", "AKCp"),
            of("HashiCorp Vault token", "\\bhv[sbr]\\.[0-9A-Za-z_-]{24,}", "hvs.", "hvb.", "hvr."),
            of("Hugging Face token", "\\bhf_[A-Za-z]{34}\\b", "hf_"),
            of("DigitalOcean token", "\\bdo[oprt]_v1_[0-9a-f]{64}\\b", "_v1_"),
            of("Shopify token", "\\bshp(?:at|ca|pa|ss)_[0-9a-fA-F]{32}\\b", "shpat_", "shpca_", "shppa_", "shpss_"));

    private DefaultSecrets() {
    }
}
