package org.wikimedia.spiderpig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's own behaviour, with no SpiderPig server: usage, addresses, tokens, errors, exit codes. */
class SpiderPigCliTest {

    private HttpServer stub;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopStub() {
        if (stub != null) {
            stub.stop(0);
        }
    }

    @Test
    void aCommandLineItCannotUnderstandIsAUsageError() {
        assertThat(CliRun.run(Map.of()).exitCode()).isEqualTo(ExitCodes.USAGE);

        CliRun missing = CliRun.run(Map.of(), "follow");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).startsWith("spiderpig: Missing required parameter: 'ID'")
                .contains("See: spiderpig follow --help");

        CliRun rule = CliRun.run(Map.of(), "follow", "1", "--answer", "Continue");
        assertThat(rule.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(rule.err()).contains("\"Continue\" is not REGEX=RESPONSE");

        CliRun regex = CliRun.run(Map.of(), "follow", "1", "--answer", "(unclosed=y");
        assertThat(regex.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(regex.err()).contains("\"(unclosed\" is not a regular expression");

        assertThat(CliRun.run(Map.of(), "answer", "1", "x", "y").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(Map.of(), "jobs", "--url", "ftp://example.org").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(Map.of(), "jobs", "--help").exitCode()).isZero();
    }

    @Test
    void aServerThatIsNotThereIsReportedInOneLine() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CliRun run = CliRun.run(Map.of("SPIDERPIG_URL", "http://127.0.0.1:" + closedPort), "jobs");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).startsWith("spiderpig: cannot reach the server at http://127.0.0.1:" + closedPort + ": ")
                .hasLineCount(1);
    }

    @Test
    void theTokenIsSentAsABearerTokenFromTheEnvironmentOrTheFlag() {
        String url = stub(200, "application/json", "{\"jobs\":[],\"next\":null}");

        assertThat(CliRun.run(Map.of("SPIDERPIG_URL", url), "jobs").exitCode()).isZero();
        assertThat(CliRun.run(Map.of("SPIDERPIG_URL", url, "SPIDERPIG_TOKEN", "from-env"), "jobs").exitCode()).isZero();
        assertThat(CliRun.run(Map.of("SPIDERPIG_TOKEN", "from-env"), "jobs", "--url", url, "--token", "from-flag")
                .exitCode()).isZero();

        assertThat(authorizations).containsExactly("", "Bearer from-env", "Bearer from-flag");
    }

    @Test
    void anErrorThatIsNoProblemIsShownByItsStatus() {
        String url = stub(502, "text/html", "<html><body>Bad gateway</body></html>");

        CliRun run = CliRun.run(Map.of("SPIDERPIG_URL", url), "jobs");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.err()).isEqualTo("spiderpig: the server answered HTTP 502: <html><body>Bad gateway</body></html>\n");
    }

    @Test
    void answerRulesSplitAtTheFirstUnescapedEquals() {
        AnswerRule rule = AnswerRule.parse("a\\=b=c=d");
        assertThat(rule.pattern().pattern()).isEqualTo("a\\=b");
        assertThat(rule.response()).isEqualTo("c=d");
        assertThat(rule.matches("is a=b?")).isTrue();
        assertThat(AnswerRule.parse("Continue=").response()).isEmpty();
    }

    @Test
    void colourIsKeptOnlyWhenAsked() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CliContext context = new CliContext(Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8),
                System.err, true);
        new FollowOutput(context, Colour.AUTO.enabled(context)).line("\u001b[32mgreen\u001b[0m \u001b]0;title\u0007done");
        new FollowOutput(context, Colour.NEVER.enabled(context)).line("\u001b[32mgreen\u001b[0m \u001b]0;title\u0007done");
        CliContext noColor = new CliContext(Map.of("NO_COLOR", "1"), context.out(), System.err, true);
        new FollowOutput(noColor, Colour.AUTO.enabled(noColor)).line("\u001b[1mbold\u001b[0m");

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "\u001b[32mgreen\u001b[0m \u001b]0;title\u0007done\u001b[0m\ngreen done\nbold\n");
    }

    private String stub(int status, String contentType, String body) {
        try {
            stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stub.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "" : authorization);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        stub.start();
        return "http://127.0.0.1:" + stub.getAddress().getPort();
    }
}
