package org.wikimedia.spiderpig.web;

import org.springframework.web.reactive.function.server.ServerRequest;
import org.wikimedia.spiderpig.problem.Problem;

/** Who may read output unmasked: until sign-in and roles exist, nobody. */
final class LogAccess {

    private LogAccess() {
    }

    static void refuseUnmasked(ServerRequest request) {
        if (request.queryParam("unmasked").filter(value -> !value.equals("false")).isPresent()) {
            throw new Problem(403, "forbidden", "Forbidden",
                    "Unmasked output is only for users allowed to see sensitive output; no user is, until sign-in exists.");
        }
    }
}
