package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;

/** Runs the prompt-answering script of docs/scripting.md, exactly as printed there, on a simulated backport. */
@ServerTest
class ScriptingRecipeTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-recipe");
    private static final Pattern RECIPE = Pattern.compile(
            "<!-- recipe:answer-prompts.sh -->\\s*```bash\\n(.*?)```\\s*<!-- /recipe -->", Pattern.DOTALL);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spiderpig.data-dir", DATA::toString);
    }

    @Test
    void theDocumentedScriptAnswersEveryPromptOfABackport() throws Exception {
        assumeTrue(onPath("curl") && onPath("jq"), "curl and jq are needed for the documented recipe");
        String docs = Files.readString(Path.of("docs/scripting.md"));
        Matcher recipe = RECIPE.matcher(docs);
        assertThat(recipe.find()).as("docs/scripting.md holds the recipe").isTrue();
        Path script = TestScripts.write(DATA, "answer-prompts.sh", recipe.group(1));
        long id = api.startBackport("12345").get("id").asLong();

        Process process = new ProcessBuilder("bash", script.toString(), "http://127.0.0.1:" + port,
                Long.toString(id), "Backport|Continue", "y").redirectErrorStream(true).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the script ends with the job").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("answering \"y\" to:").contains("job ended: succeeded (exit code 0)");
        assertThat(api.job(id).get("state").asString()).isEqualTo("succeeded");
        assertThat(api.get("/api/jobs/" + id + "/interactions").get("interactions").findValuesAsString("response"))
                .isNotEmpty().containsOnly("y");
    }

    private static boolean onPath(String program) {
        return Files.isExecutable(Path.of("/usr/bin", program)) || Files.isExecutable(Path.of("/bin", program));
    }
}
