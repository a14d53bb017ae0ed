package org.wikimedia.spiderpig.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.wikimedia.spiderpig.runner.LaunchSpec;

/**
 * Small shell scripts that tests run as job commands: as job types of a server under test, or launched
 * directly through the runner with a {@link LaunchSpec}.
 */
public final class TestScripts {

    /** The io key of {@link #spec} launches. */
    public static final String KEY = "5f1e".repeat(16);

    private TestScripts() {
    }

    public static Path write(Path directory, String name, String body) {
        try {
            Files.createDirectories(directory);
            Path script = directory.resolve(name);
            Files.writeString(script, "#!/usr/bin/env bash\n" + body);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A job type {@code type} of the server under test that runs the script (no parameters), written to
     * {@code <dataDir>/scripts/<type>.sh}.
     */
    public static Path jobType(DynamicPropertyRegistry registry, Path dataDir, String type, String body) {
        Path script = write(dataDir.resolve("scripts"), type + ".sh", body);
        registry.add("spiderpig.jobs." + type + ".command", script::toString);
        registry.add("spiderpig.jobs." + type + ".validator", () -> "none");
        return script;
    }

    public static Path tempDirectory(String prefix) {
        try {
            Path directory = Files.createTempDirectory(prefix);
            LeftoverJobs.watch(directory);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Launches {@code command} in {@code workingDirectory} as alice, with short timeouts and 64 KiB lines. */
    public static LaunchSpec spec(long jobId, Path workingDirectory, List<String> command) {
        return new LaunchSpec(jobId, command, workingDirectory, Map.of("SPIDERPIG_REAL_USER", "alice"), KEY,
                List.of(), Duration.ofMillis(300), 64 * 1024, Duration.ofMillis(300), Duration.ofMillis(300));
    }

    /** Launches the script with the arguments, in the script's directory. */
    public static LaunchSpec spec(long jobId, Path script, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(arguments));
        return spec(jobId, script.getParent(), command);
    }
}
