package org.wikimedia.spiderpig.cli;

import tools.jackson.databind.JsonNode;

/** The server refused a request with an RFC 9457 problem (or an error that is not one). */
final class ServerProblem extends ClientFailure {

    private final int status;
    private final String type;
    private final JsonNode body;

    ServerProblem(int status, String type, String detail, JsonNode body) {
        super(ExitCodes.REFUSED, detail);
        this.status = status;
        this.type = type;
        this.body = body;
    }

    int status() {
        return status;
    }

    /** The suffix of the problem type ({@code already-answered}), or empty when the answer was no problem. */
    String type() {
        return type;
    }

    /** The problem's own members ({@code answeredBy}, {@code validResponses} …); missing nodes when absent. */
    JsonNode body() {
        return body;
    }
}
