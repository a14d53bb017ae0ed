package org.wikimedia.spiderpig.store;

import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Mono;

/** Users who signed in through single sign-on, with the groups their provider gave them at their last sign-in. */
public interface OidcUserStore {

    Mono<Void> save(String name, List<String> groups, Instant signedInAt);

    /** The groups of the user's last sign-in; empty when they never signed in this way. */
    Mono<List<String>> groups(String name);
}
