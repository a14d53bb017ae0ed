package org.wikimedia.spiderpig.runner;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaunchSpecTest {

    @Test
    void ioKeysAre256RandomBitsInHex() {
        String key = LaunchSpec.newIoKey();
        assertThat(key).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(LaunchSpec.newIoKey()).isNotEqualTo(key);
    }

    @Test
    void invalidSpecsAreRejectedBeforeAnythingStarts() {
        Duration idle = LaunchSpec.DEFAULT_PROMPT_IDLE;
        Duration grace = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new LaunchSpec(1, List.of("true"), null, null, " ", null, idle, 1024, grace, grace))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("I/O key");
        assertThatThrownBy(() -> new LaunchSpec(1, List.of("true"), null, null, "k", null, Duration.ZERO, 1024, grace, grace))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("promptIdle");
        assertThatThrownBy(() -> new LaunchSpec(1, List.of("true"), null, null, "k", null, idle, 8, grace, grace))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLineBytes");
        LaunchSpec defaults = new LaunchSpec(1, null, Path.of("."), null, "k", null, idle, 1024, grace, grace);
        assertThat(defaults.command()).isEmpty();
        assertThat(defaults.environment()).isEmpty();
        assertThat(defaults.promptPatterns()).isEmpty();
    }
}
