package org.wikimedia.spiderpig.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.appendAll;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.end;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.mixedPayloads;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event log contract on files, and what is particular to files. */
class FileJobEventLogTest extends JobEventLogContract {

    @TempDir
    Path directory;

    @Override
    EventLogFixture newFixture(EventLogSettings settings) {
        return new EventLogFixture(directory, settings);
    }

    @Test
    void deleteRemovesTheFiles() throws Exception {
        JobEventLog log = fixture.logs.forJob(9);
        appendAll(log, mixedPayloads(3));
        end(log);

        fixture.logs.delete(9).block();

        try (var files = java.nio.file.Files.list(directory)) {
            assertThat(files).isEmpty();
        }
        assertThat(fixture.logs.forJob(9).lastSeq()).isZero();
    }
}
