package org.wikimedia.spiderpig.runner;

import reactor.core.publisher.Mono;

/** Starts subprocesses. Fails with {@link ProcessStartException} when the command cannot be started. */
public interface ProcessLauncher {

    Mono<JobProcess> launch(LaunchSpec spec);
}
