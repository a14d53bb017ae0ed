package org.wikimedia.spiderpig.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The recorded scap backport transcripts in {@code ${spiderpig.shared-dir}/fixtures/scap-transcripts}
 * (see the README there). They are read where they are, never copied into the repository.
 */
public final class ScapTranscripts {

    /** Why a test that needs the transcripts skipped itself. */
    public static final String ABSENT = "no scap transcripts: set -Dspiderpig.shared-dir to the shared directory";

    /** For {@code @MethodSource}: a parameterized test over {@link #orOneNull()}. */
    public static final String SOURCE = "org.wikimedia.spiderpig.support.ScapTranscripts#orOneNull";

    private ScapTranscripts() {
    }

    /**
     * The {@code .jsonl} transcripts, sorted; one {@code null} when the directory is absent, so that a
     * parameterized test runs once and skips itself with {@link #ABSENT}.
     */
    public static Stream<Path> orOneNull() {
        String shared = System.getProperty("spiderpig.shared-dir");
        Path dir = shared == null ? null : Path.of(shared, "fixtures", "scap-transcripts");
        if (dir == null || !Files.isDirectory(dir)) {
            return Stream.of((Path) null);
        }
        try (Stream<Path> listing = Files.list(dir)) {
            List<Path> files = listing.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
            return files.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
