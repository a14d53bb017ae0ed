package org.wikimedia.spiderpig.cli;

import picocli.CommandLine.Option;

/** Which server to talk to, and as whom: from the flags, else from the environment. */
final class ServerOptions {

    static final String DEFAULT_URL = "http://localhost:8080";

    @Option(names = "--url", paramLabel = "URL",
            description = "the server (default: $SPIDERPIG_URL, else " + DEFAULT_URL + ")")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "sent as 'Authorization: Bearer TOKEN' (default: $SPIDERPIG_TOKEN)")
    String token;

    ApiClient connect(CliContext context) {
        String address = url != null ? url : context.env("SPIDERPIG_URL");
        String bearer = token != null ? token : context.env("SPIDERPIG_TOKEN");
        return new ApiClient(address == null ? DEFAULT_URL : address, bearer);
    }
}
