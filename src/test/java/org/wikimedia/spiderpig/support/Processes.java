package org.wikimedia.spiderpig.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** What tests need to know of processes that are not their children. */
public final class Processes {

    private Processes() {
    }

    /**
     * Alive and not a zombie. A process orphaned by a killed server is reaped by PID 1 whenever it gets
     * to it, so "gone" means it no longer runs, not that its /proc entry has disappeared.
     */
    public static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
