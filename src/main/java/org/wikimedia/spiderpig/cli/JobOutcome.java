package org.wikimedia.spiderpig.cli;

import org.wikimedia.spiderpig.model.JobState;

/** The exit code that tells a script how a followed job ended. */
final class JobOutcome {

    private JobOutcome() {
    }

    static int exitCode(JobState state, Integer jobExitCode) {
        return switch (state) {
            case CANCELLED -> ExitCodes.JOB_CANCELLED;
            case INTERRUPTED -> ExitCodes.JOB_INTERRUPTED;
            case SUCCEEDED -> jobExitCode == null ? ExitCodes.OK : jobExitCode;
            case FAILED -> jobExitCode == null || jobExitCode == 0 ? ExitCodes.JOB_FAILED : jobExitCode;
            default -> throw new ClientFailure(ExitCodes.BAD_ANSWER, "the job ended in state " + state.wireName()
                    + ", which is not a final state");
        };
    }
}
