package org.wikimedia.spiderpig.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.wikimedia.spiderpig.config.JobTypeProperties;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.support.TestScripts;

/** Every setting is checked at start: a bad one stops it naming the key and the fix; an unknown key is warned about. */
@ExtendWith(OutputCaptureExtension.class)
class SettingsCheckTest {

    private final Path data = TestScripts.tempDirectory("spiderpig-settings");

    private SpiderPigProperties settings() {
        SpiderPigProperties settings = new SpiderPigProperties();
        settings.setDataDir(data);
        JobTypeProperties backport = new JobTypeProperties();
        backport.setCommand(List.of("@simulator", "backport"));
        settings.getJobs().put("backport", backport);
        return settings;
    }

    private static List<SettingProblem> check(SpiderPigProperties settings) {
        return SettingsCheck.check(settings, System.getenv("PATH"));
    }

    @Test
    void theDefaultsPass() {
        assertThat(check(settings())).isEmpty();
    }

    @Test
    void aCommandThatIsNotOnThePathIsNamedWithItsKey() {
        SpiderPigProperties settings = settings();
        settings.getJobs().get("backport").setCommand(List.of("scap-that-does-not-exist", "backport"));

        assertThat(check(settings)).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("spiderpig.jobs.backport.command");
            assertThat(problem.problem()).contains("\"scap-that-does-not-exist\" was not found on the PATH");
            assertThat(problem.fix()).contains("absolute path");
        });
    }

    @Test
    void aCommandFileThatIsNotExecutableIsRefused() throws Exception {
        Path notExecutable = Files.writeString(data.resolve("plain.txt"), "echo hi\n");
        SpiderPigProperties settings = settings();
        settings.getJobs().get("backport").setCommand(List.of(notExecutable.toString()));

        assertThat(check(settings)).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("spiderpig.jobs.backport.command");
            assertThat(problem.problem()).contains("is not an executable file");
        });
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenIsRefused() throws Exception {
        // The tests run as root, whom permissions do not stop: a file where the directory should be does.
        Path file = Files.writeString(data.resolve("a-file"), "");
        SpiderPigProperties settings = settings();
        settings.setDataDir(file);

        assertThat(check(settings)).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("spiderpig.data-dir");
            assertThat(problem.problem()).contains("is not a writable directory");
            assertThat(problem.fix()).contains("write access");
        });
    }

    @Test
    void aMalformedMaskingPatternIsNamedByItsIndex() {
        SpiderPigProperties settings = settings();
        settings.getMasking().setPatterns(List.of("password=(?<secret>\\S+)", "token=([a-z"));

        assertThat(check(settings)).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("spiderpig.masking.patterns[1]");
            assertThat(problem.problem()).contains("not a valid regular expression");
        });
    }

    @Test
    void negativeAndZeroDurationsAreRefused() {
        SpiderPigProperties settings = settings();
        settings.getJobs().get("backport").setInterruptGrace(Duration.ofSeconds(-5));
        settings.getStreams().setHeartbeat(Duration.ZERO);

        assertThat(check(settings)).extracting(SettingProblem::key)
                .containsExactly("spiderpig.jobs.backport.interrupt-grace", "spiderpig.streams.heartbeat");
    }

    @Test
    void theTrainBlockersAddressAndTimeoutAreChecked() {
        SpiderPigProperties settings = settings();
        settings.getTrain().setBlockersUrl("train-blockers.toolforge.org/api.php");
        settings.getTrain().setTimeout(Duration.ZERO);

        assertThat(check(settings)).extracting(SettingProblem::key)
                .containsExactly("spiderpig.train.timeout", "spiderpig.train.blockers-url");

        settings.getTrain().setBlockersUrl("https://train-blockers.toolforge.org/api.php");
        settings.getTrain().setTimeout(Duration.ofSeconds(3));
        assertThat(check(settings)).isEmpty();
    }

    @Test
    void everyOtherMistakeIsReportedTooAndAllAtOnce() {
        SpiderPigProperties settings = settings();
        JobTypeProperties type = settings.getJobs().get("backport");
        type.setValidator("change-id");
        type.setWorkingDirectory(data.resolve("missing"));
        var pattern = new JobTypeProperties.PromptPatternProperties();
        pattern.setRegex("Continue\\? [y/N");
        type.setPromptPatterns(List.of(pattern));
        settings.getSimulator().setPace("slow");
        settings.getManagement().setAllowedNetworks(List.of("10.0.0.0/8", "10.0.0.0/33", "example.org"));

        assertThat(check(settings)).extracting(SettingProblem::key).containsExactly(
                "spiderpig.jobs.backport.working-directory",
                "spiderpig.jobs.backport.validator",
                "spiderpig.jobs.backport.prompt-patterns[0].regex",
                "spiderpig.simulator.pace",
                "spiderpig.management.allowed-networks[1]",
                "spiderpig.management.allowed-networks[2]");
    }

    @Test
    void aBadSettingStopsTheStartWithTheKeyAndTheFix() {
        new ApplicationContextRunner()
                .withUserConfiguration(SettingsCheckConfiguration.class)
                .withPropertyValues("spiderpig.data-dir=" + data, "spiderpig.jobs.backport.command=no-such-scap,backport",
                        "spiderpig.streams.job-update-interval=-1s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    while (!(failure instanceof InvalidSettingsException) && failure.getCause() != null) {
                        failure = failure.getCause();
                    }
                    assertThat(failure).isInstanceOf(InvalidSettingsException.class);
                    FailureAnalysis analysis = new InvalidSettingsFailureAnalyzer().analyze(failure);
                    assertThat(analysis.getDescription())
                            .contains("2 problems")
                            .contains("spiderpig.jobs.backport.command: command \"no-such-scap\" was not found")
                            .contains("spiderpig.streams.job-update-interval: is PT-1S")
                            .contains("Fix: install the program");
                    assertThat(analysis.getAction()).contains("docs/configuration.md");
                });
    }

    @Test
    void anUnknownKeyIsWarnedAboutWithWhereItWasSet(CapturedOutput output) {
        new ApplicationContextRunner()
                .withUserConfiguration(SettingsCheckConfiguration.class)
                .withPropertyValues("spiderpig.data-dir=" + data, "spiderpig.jobs.backport.command=@simulator,backport",
                        "spiderpig.jobs.backport.comand=scap", "spiderpig.stream.heartbeat=5s",
                        "spiderpig.jobs.backport.environment.HOME=/tmp")
                .run(context -> assertThat(context).hasNotFailed());

        assertThat(output.getOut())
                .contains("Unknown setting spiderpig.jobs.backport.comand")
                .contains("Unknown setting spiderpig.stream.heartbeat")
                .doesNotContain("Unknown setting spiderpig.jobs.backport.environment")
                .doesNotContain("Unknown setting spiderpig.jobs.backport.command ");
    }
}
