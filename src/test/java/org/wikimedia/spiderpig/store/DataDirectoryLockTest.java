package org.wikimedia.spiderpig.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server in another process holds the data directory's lock shared: a tool cannot take it exclusively while
 * that process lives, and can as soon as it is gone, even killed with SIGKILL (the operating system lets go).
 */
class DataDirectoryLockTest {

    @TempDir
    Path dataDir;

    @Test
    void heldByAnotherProcessUntilItIsKilled() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), dataDir.toString())).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo(LockHolder.HOLDING);
            assertThat(DataDirectoryLock.exclusive(dataDir)).isEmpty();
            server.destroyForcibly();
            assertThat(server.waitFor(1, TimeUnit.MINUTES)).isTrue();
        } finally {
            server.destroyForcibly();
        }
        Optional<DataDirectoryLock> alone = DataDirectoryLock.exclusive(dataDir);
        assertThat(alone).isPresent();
        alone.get().close();
    }

    /** Holds the lock as a server does, until killed. */
    public static final class LockHolder {

        static final String HOLDING = "HOLDING";

        public static void main(String[] args) throws InterruptedException {
            DataDirectoryLock.shared(Path.of(args[0]));
            System.out.println(HOLDING);
            System.out.flush();
            Thread.currentThread().join();
        }
    }
}
