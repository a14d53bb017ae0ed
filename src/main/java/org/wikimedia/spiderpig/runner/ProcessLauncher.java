package org.wikimedia.spiderpig.runner;

import java.util.Optional;
import org.wikimedia.spiderpig.model.SpoolMark;
import reactor.core.publisher.Mono;

/** Starts subprocesses. Fails with {@link ProcessStartException} when the command cannot be started. */
public interface ProcessLauncher {

    Mono<JobProcess> launch(LaunchSpec spec);

    /**
     * The process an earlier server started for this job, read on from {@code from} (its events after that
     * point, ending with its exit, or with {@link RunnerEvent.Lost} when its end is unknown); empty when this
     * launcher has nothing of the job (it never started, or ran in a way that does not outlive a server).
     */
    default Mono<Optional<JobProcess>> reattach(LaunchSpec spec, SpoolMark from) {
        return Mono.just(Optional.empty());
    }
}
