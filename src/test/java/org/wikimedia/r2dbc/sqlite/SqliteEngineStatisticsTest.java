package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteEngineStatisticsTest {

    private static final Duration SAFETY_NET = Duration.ofMinutes(1);
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final String jmxName = "statistics-test-" + UUID.randomUUID();
    private final ObjectName name = EngineStatistics.objectName(jmxName);

    @TempDir
    Path dir;

    private SqliteConnectionFactory open() {
        return (SqliteConnectionFactory) ConnectionFactories.get(
            "r2dbc:sqlite://" + dir.resolve("s.db") + "?readers=2&jmxName=" + jmxName);
    }

    @Test
    void anOpenDatabasePublishesItsThreadsFiguresUntilItCloses() throws Exception {
        SqliteConnectionFactory factory = open();
        SqliteTestSupport.run(factory, "CREATE TABLE t (i INTEGER)", "INSERT INTO t VALUES (1)");
        assertThat(SqliteTestSupport.queryLong(factory, "SELECT count(*) FROM t")).isEqualTo(1L);

        assertThat(server.getAttribute(name, "Readers")).isEqualTo(2);
        assertThat((Long) server.getAttribute(name, "Tasks")).isGreaterThanOrEqualTo(3L);
        assertThat((Long) server.getAttribute(name, "TaskQueueNanos")).isPositive();
        assertThat(server.getAttribute(name, "ReadersInUse")).isEqualTo(0);
        assertThat(server.getAttribute(name, "QueuedTasks")).isEqualTo(0);

        factory.close();
        assertThat(server.isRegistered(name)).as("unregistered on close").isFalse();
    }

    @Test
    void aConnectionWaitingForTheWriterIsCountedWithItsWait() throws Exception {
        SqliteConnectionFactory factory = open();
        SqliteTestSupport.run(factory, "CREATE TABLE t (i INTEGER)");
        Connection first = factory.create().block(SAFETY_NET);
        Connection second = factory.create().block(SAFETY_NET);
        try {
            StepVerifier.create(Mono.from(first.beginTransaction())
                    .then(SqliteTestSupport.update(first.createStatement("INSERT INTO t VALUES (1)"))))
                .expectNext(1L).expectComplete().verify(SAFETY_NET);
            long waitsBefore = (Long) server.getAttribute(name, "WriterWaits");

            Mono<Long> blockedInsert = SqliteTestSupport.update(second.createStatement("INSERT INTO t VALUES (2)")).cache();
            blockedInsert.subscribe();
            org.awaitility.Awaitility.await("the second connection to wait for the writer")
                .atMost(SAFETY_NET).pollInterval(Duration.ofMillis(10))
                .until(() -> (Integer) server.getAttribute(name, "WaitingForWriter") == 1);

            StepVerifier.create(Mono.from(first.commitTransaction()).then(blockedInsert))
                .expectNext(1L).expectComplete().verify(SAFETY_NET);
            assertThat((Long) server.getAttribute(name, "WriterWaits")).isEqualTo(waitsBefore + 1);
            assertThat((Long) server.getAttribute(name, "WriterWaitNanos")).isPositive();
            assertThat(server.getAttribute(name, "WaitingForWriter")).isEqualTo(0);
        } finally {
            Mono.from(first.close()).block(SAFETY_NET);
            Mono.from(second.close()).block(SAFETY_NET);
            factory.close();
        }
    }

    @Test
    void aSecondDatabaseUnderATakenNameStillOpensAndTheFirstKeepsReporting() throws Exception {
        SqliteConnectionFactory first = open();
        SqliteConnectionFactory second = (SqliteConnectionFactory) ConnectionFactories.get(
            "r2dbc:sqlite://" + dir.resolve("other.db") + "?readers=3&jmxName=" + jmxName);
        try {
            SqliteTestSupport.run(first, "CREATE TABLE t (i INTEGER)");
            SqliteTestSupport.run(second, "CREATE TABLE t (i INTEGER)");
            assertThat(server.getAttribute(name, "Readers")).isEqualTo(2);
            second.close();
            assertThat(server.isRegistered(name)).as("the second's close leaves the first's entry").isTrue();
        } finally {
            first.close();
        }
        assertThat(server.isRegistered(name)).isFalse();
    }
}
