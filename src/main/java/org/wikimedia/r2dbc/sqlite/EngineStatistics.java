package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.R2dbcNonTransientResourceException;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * An engine's {@link SqliteEngineMXBean} in the platform MBean server: JMX is the one monitoring interface every
 * JVM has, so the driver needs no metrics library and an application needs no import of the driver to read it.
 */
final class EngineStatistics implements SqliteEngineMXBean {

    static final String DOMAIN = "org.wikimedia.r2dbc.sqlite";

    private final SqliteEngine engine;
    private final ObjectName name;

    private EngineStatistics(SqliteEngine engine, ObjectName name) {
        this.engine = engine;
        this.name = name;
    }

    static ObjectName objectName(String jmxName) {
        try {
            return new ObjectName(DOMAIN + ":type=Engine,name=" + ObjectName.quote(jmxName));
        } catch (JMException e) {
            throw new IllegalArgumentException("jmxName cannot name an MBean: " + jmxName, e);
        }
    }

    /**
     * Registers the engine's figures, or returns null when another open engine already uses the name: a database
     * must not fail to open over its monitoring, and the first one keeps reporting.
     */
    static EngineStatistics publish(SqliteEngine engine, String jmxName) {
        EngineStatistics statistics = new EngineStatistics(engine, objectName(jmxName));
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(statistics, statistics.name);
            return statistics;
        } catch (InstanceAlreadyExistsException taken) {
            return null;
        } catch (JMException e) {
            throw new R2dbcNonTransientResourceException("cannot publish SQLite statistics as " + statistics.name
                + ": " + e.getMessage(), null, 0, e);
        }
    }

    void unpublish() {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (InstanceNotFoundException alreadyGone) {
            // nothing to remove
        } catch (JMException e) {
            // the engine closes anyway; a stale entry only shows zeros
        }
    }

    @Override
    public int getReaders() {
        return engine.readers();
    }

    @Override
    public int getReadersInUse() {
        return engine.readersInUse();
    }

    @Override
    public int getQueriesWaitingForReader() {
        return engine.queriesWaitingForReader();
    }

    @Override
    public int getWaitingForWriter() {
        return engine.writerGate.waiting();
    }

    @Override
    public int getQueuedTasks() {
        return engine.queuedTasks();
    }

    @Override
    public long getTasks() {
        return engine.taskQueueTimes.waits();
    }

    @Override
    public long getTaskQueueNanos() {
        return engine.taskQueueTimes.nanos();
    }

    @Override
    public long getReaderWaits() {
        return engine.readerWaitTimes().waits();
    }

    @Override
    public long getReaderWaitNanos() {
        return engine.readerWaitTimes().nanos();
    }

    @Override
    public long getWriterWaits() {
        return engine.writerGate.waitTimes.waits();
    }

    @Override
    public long getWriterWaitNanos() {
        return engine.writerGate.waitTimes.nanos();
    }
}
