package org.wikimedia.spiderpig.runner;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a command's program the way a shell would: a path as given, a bare name on the PATH. */
public final class Executables {

    private Executables() {
    }

    /**
     * The program's absolute path. A name with a slash is taken as a path (relative ones from
     * {@code workingDirectory} when given); a bare name is searched on {@code searchPath}.
     *
     * @throws IllegalArgumentException saying why there is no such program
     */
    public static Path resolve(String name, Path workingDirectory, String searchPath) {
        if (name.contains("/")) {
            Path file = Path.of(name);
            if (!file.isAbsolute() && workingDirectory != null) {
                file = workingDirectory.resolve(file);
            }
            if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                return file.toAbsolutePath();
            }
            throw new IllegalArgumentException(file + (Files.exists(file) ? " is not an executable file" : " does not exist"));
        }
        if (searchPath != null) {
            for (String dir : searchPath.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir).resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toAbsolutePath();
                }
            }
        }
        throw new IllegalArgumentException("command \"" + name + "\" was not found on the PATH (" + searchPath + ")");
    }
}
