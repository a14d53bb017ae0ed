package org.wikimedia.spiderpig.runner;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to start one job's subprocess. {@code command} is the full argument list (the
 * job's parameters already appended; never run through a shell); {@code environment} is added to the
 * server's own environment; {@code ioKey} is the secret a protocol message must carry (see
 * {@link #newIoKey()}); {@code workingDirectory} may be null (the server's). {@code promptIdle} is how
 * long a partial line must stay unchanged to be checked for a plain prompt; a line longer than
 * {@code maxLineBytes} is split.
 */
public record LaunchSpec(
        long jobId,
        List<String> command,
        Path workingDirectory,
        Map<String, String> environment,
        String ioKey,
        List<PromptPattern> promptPatterns,
        Duration promptIdle,
        int maxLineBytes,
        Duration interruptGrace,
        Duration terminateGrace) {

    public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;
    public static final Duration DEFAULT_PROMPT_IDLE = Duration.ofMillis(300);

    private static final SecureRandom RANDOM = new SecureRandom();

    public LaunchSpec {
        command = command == null ? List.of() : List.copyOf(command);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        promptPatterns = promptPatterns == null ? List.of() : List.copyOf(promptPatterns);
        if (ioKey == null || ioKey.isBlank()) {
            throw new IllegalArgumentException("job " + jobId + " needs an I/O key");
        }
        if (promptIdle == null || promptIdle.isNegative() || promptIdle.isZero()) {
            throw new IllegalArgumentException("promptIdle must be positive, not " + promptIdle);
        }
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("maxLineBytes must be at least 16, not " + maxLineBytes);
        }
        if (interruptGrace == null || interruptGrace.isNegative() || terminateGrace == null || terminateGrace.isNegative()) {
            throw new IllegalArgumentException("grace periods must not be negative");
        }
    }

    /** A new I/O key: 256 random bits in hex. */
    public static String newIoKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
