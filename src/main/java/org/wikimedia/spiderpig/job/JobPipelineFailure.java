package org.wikimedia.spiderpig.job;

/**
 * Something in a running job's pipeline broke (a reader of its output, its event log, its record); the
 * message says what, and becomes the reason of the job's {@code failed} end.
 */
final class JobPipelineFailure extends RuntimeException {

    JobPipelineFailure(String message) {
        super(message);
    }

    JobPipelineFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
