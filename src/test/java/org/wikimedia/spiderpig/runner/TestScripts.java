package org.wikimedia.spiderpig.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small executable scripts for process tests, and launch specs to run them. */
final class TestScripts {

    static final String KEY = "5f1e".repeat(16);

    private TestScripts() {
    }

    static Path bash(Path dir, String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    static LaunchSpec spec(long jobId, Path workingDirectory, List<String> command) {
        return new LaunchSpec(jobId, command, workingDirectory, Map.of("SPIDERPIG_REAL_USER", "alice"), KEY,
                List.of(), Duration.ofMillis(300), 64 * 1024, Duration.ofMillis(300), Duration.ofMillis(300));
    }

    static LaunchSpec spec(long jobId, Path script, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(arguments));
        return spec(jobId, script.getParent(), command);
    }
}
