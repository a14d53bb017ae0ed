package org.wikimedia.spiderpig.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * {@code <data-dir>/server.lock}: every server holds it shared while it runs, so that a tool that must have the
 * data directory to itself (moving it to PostgreSQL) can tell, by trying to take it exclusively, whether a server
 * still uses it. The operating system lets go of it when the process ends, however it ends, so a crashed server
 * leaves nothing to clean up. It excludes nothing among servers: several in one JVM (tests) share it as one.
 */
public final class DataDirectoryLock implements AutoCloseable {

    static final String FILE = "server.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Held shared by a server for as long as it runs; never waits, never refuses. */
    public static DataDirectoryLock shared(Path dataDir) {
        FileChannel channel = open(dataDir);
        try {
            return new DataDirectoryLock(channel, channel.tryLock(0, Long.MAX_VALUE, true));
        } catch (OverlappingFileLockException anotherServerInThisJvm) {
            return new DataDirectoryLock(channel, null);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + dataDir.resolve(FILE), e);
        }
    }

    /** The data directory to this process alone, or empty while any server (of this JVM or another) runs on it. */
    public static Optional<DataDirectoryLock> exclusive(Path dataDir) {
        FileChannel channel = open(dataDir);
        try {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, false);
            if (lock != null) {
                return Optional.of(new DataDirectoryLock(channel, lock));
            }
        } catch (OverlappingFileLockException heldInThisJvm) {
            // a server in this very JVM holds it
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + dataDir.resolve(FILE), e);
        }
        closeQuietly(channel);
        return Optional.empty();
    }

    private static FileChannel open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            return FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + dataDir.resolve(FILE), e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was locked through it
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
