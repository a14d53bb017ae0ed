package org.wikimedia.spiderpig.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Small shell scripts that tests run as job commands. */
public final class TestScripts {

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
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
