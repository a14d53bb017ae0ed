package org.wikimedia.spiderpig.runner;

/** The configured command could not be started (not found, not executable, bad working directory). */
public class ProcessStartException extends RuntimeException {

    public ProcessStartException(String message) {
        super(message);
    }

    public ProcessStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
