package org.wikimedia.spiderpig.store.r2dbc;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The SQLite driver's queues and waits as Prometheus metrics. The driver publishes them as an MXBean (its
 * {@code jmxName} option); reading that by name keeps the application free of any import of the driver.
 */
class SqliteDriverMetrics implements MeterBinder {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName engine;

    SqliteDriverMetrics(String jmxName) {
        try {
            this.engine = new ObjectName("org.wikimedia.r2dbc.sqlite:type=Engine,name=" + ObjectName.quote(jmxName));
        } catch (JMException e) {
            throw new IllegalArgumentException("no MBean name for " + jmxName, e);
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        waitTimer(registry, "spiderpig.sqlite.task.queue", "Tasks", "TaskQueueNanos",
                "Time statements waited for their connection's thread (the driver's queue)");
        waitTimer(registry, "spiderpig.sqlite.reader.wait", "ReaderWaits", "ReaderWaitNanos",
                "Time queries waited for a free read-only connection (the driver's reader pool)");
        waitTimer(registry, "spiderpig.sqlite.writer.wait", "WriterWaits", "WriterWaitNanos",
                "Time connections waited for the one writer, held by another's statement or transaction");
        gauge(registry, "spiderpig.sqlite.readers", "Readers", "Read-only connections in the pool");
        gauge(registry, "spiderpig.sqlite.readers.in.use", "ReadersInUse", "Read-only connections leased now");
        gauge(registry, "spiderpig.sqlite.queued.tasks", "QueuedTasks", "Statements queued for a connection's thread now");
        Gauge.builder("spiderpig.sqlite.waiting", this, m -> m.number("QueriesWaitingForReader"))
                .tag("for", "reader").description("Queries or connections waiting now").register(registry);
        Gauge.builder("spiderpig.sqlite.waiting", this, m -> m.number("WaitingForWriter"))
                .tag("for", "writer").description("Queries or connections waiting now").register(registry);
    }

    private void waitTimer(MeterRegistry registry, String name, String count, String nanos, String description) {
        FunctionTimer.builder(name, this, m -> (long) m.number(count), m -> m.number(nanos), TimeUnit.NANOSECONDS)
                .description(description).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String attribute, String description) {
        Gauge.builder(name, this, m -> m.number(attribute)).description(description).register(registry);
    }

    /** An attribute of the driver's MXBean; 0 before the database is open or after it closed. */
    private double number(String attribute) {
        try {
            return ((Number) server.getAttribute(engine, attribute)).doubleValue();
        } catch (JMException e) {
            return 0;
        }
    }
}
