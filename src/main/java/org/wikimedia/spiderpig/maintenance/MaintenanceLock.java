package org.wikimedia.spiderpig.maintenance;

import java.util.concurrent.atomic.AtomicReference;
import org.wikimedia.spiderpig.problem.Problem;
import reactor.core.publisher.Mono;

/**
 * One maintenance task at a time: a backup must not copy a job's records while retention deletes its log. A second
 * task is refused (409), not queued, so nothing waits behind a long backup.
 */
public final class MaintenanceLock {

    private final AtomicReference<String> holder = new AtomicReference<>();

    public <T> Mono<T> exclusively(String task, Mono<T> work) {
        return Mono.defer(() -> {
            if (!holder.compareAndSet(null, task)) {
                return Mono.error(new Problem(409, "maintenance-busy", "Maintenance already running",
                        "A " + holder.get() + " is running; try again when it has finished."));
            }
            return work.doFinally(signal -> holder.set(null));
        });
    }
}
