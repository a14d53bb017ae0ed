package org.wikimedia.spiderpig.cli;

/** Why a command stopped: a sentence for the user and the exit code that says it to scripts. */
class ClientFailure extends RuntimeException {

    private final int exitCode;

    ClientFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    ClientFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
