package org.wikimedia.spiderpig.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfCommandTest {

    @TempDir
    Path dir;

    @Test
    void otherCommandsAreUnchanged() {
        assertThat(SelfCommand.expand(List.of("scap", "backport", "1"))).containsExactly("scap", "backport", "1");
        assertThat(SelfCommand.expand(List.of())).isEmpty();
    }

    @Test
    void aClassPathRunsTheMainClass() {
        List<String> command = SelfCommand.expand(List.of("@simulator", "backport", "12345"), "/opt/jdk", "a:b.jar");
        List<String> expected = new ArrayList<>(List.of("/opt/jdk/bin/java"));
        expected.addAll(SelfCommand.JVM_OPTIONS);
        expected.addAll(List.of("-cp", "a:b.jar", "org.wikimedia.spiderpig.SpiderPigApplication", "simulate", "backport", "12345"));
        assertThat(command).containsExactlyElementsOf(expected);
    }

    @Test
    void theExecutableJarRunsWithDashJar() throws IOException {
        Path jar = jar("spiderpig.jar", "Start-Class", "org.wikimedia.spiderpig.SpiderPigApplication");
        List<String> command = SelfCommand.expand(List.of("@simulator", "backport", "1"), "/opt/jdk", jar.toString());
        assertThat(command).containsSequence("-jar", jar.toString(), "simulate", "backport", "1");
    }

    @Test
    void aManifestOnlyJarOfATestRunnerIsAClassPath() throws IOException {
        Path jar = jar("surefirebooter.jar", "Class-Path", "a.jar b.jar");
        assertThat(SelfCommand.expand(List.of("@simulator"), "/opt/jdk", jar.toString()))
                .containsSequence("-cp", jar.toString(), "org.wikimedia.spiderpig.SpiderPigApplication", "simulate");
    }

    private Path jar(String name, String attribute, String value) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(attribute, value);
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }
}
