package org.wikimedia.spiderpig.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to start one job's subprocess. {@code command} is the full argument list (the
 * job's parameters already appended; never run through a shell); {@code environment} is added to the
 * server's own environment; {@code ioKey} is the secret a protocol message must carry.
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
}
