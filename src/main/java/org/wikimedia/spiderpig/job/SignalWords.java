package org.wikimedia.spiderpig.job;

import java.util.Map;

/** The words for signals: a cancel's notes in the log, and the end reason of a command that died of one. */
final class SignalWords {

    private static final Map<Integer, String> NAMES = Map.of(
            1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 6, "SIGABRT", 9, "SIGKILL", 13, "SIGPIPE", 14, "SIGALRM", 15, "SIGTERM");

    private SignalWords() {
    }

    /** The log's note before a cancel sends {@code signal} ({@code INT}, {@code TERM}, {@code KILL}). */
    static String note(String signal) {
        return switch (signal) {
            case "INT" -> "cancel: sent SIGINT (interrupt) to the job's process group";
            case "TERM" -> "cancel: the job still runs after SIGINT; sent SIGTERM (terminate) to its process group";
            case "KILL" -> "cancel: the job still runs after SIGTERM; sent SIGKILL (kill) to its process group";
            default -> "cancel: sent SIG" + signal + " to the job's process group";
        };
    }

    /** Why a command that died of signal {@code number} ended: "The command was interrupted (SIGINT)". */
    static String endReason(int number) {
        return switch (number) {
            case 2 -> "The command was interrupted (SIGINT)";
            case 15 -> "The command was terminated (SIGTERM)";
            default -> "The command was ended by signal " + number + (NAMES.containsKey(number) ? " (" + NAMES.get(number) + ")" : "");
        };
    }
}
