package org.wikimedia.spiderpig.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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

    public static Path tempDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
