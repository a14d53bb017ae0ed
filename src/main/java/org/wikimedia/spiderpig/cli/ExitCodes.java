package org.wikimedia.spiderpig.cli;

/**
 * The client's own exit codes. {@code follow} otherwise exits with the job's exit code, so these sit
 * above the small codes commands use (and below 128, where shells report signals).
 */
public final class ExitCodes {

    public static final int OK = 0;
    /** A failed job that never got an exit code (its command could not be started). */
    public static final int JOB_FAILED = 1;
    /** The command line could not be understood. */
    public static final int USAGE = 64;
    /** The server refused the request; its problem's detail is printed. */
    public static final int REFUSED = 65;
    /** The server could not be reached, or a lost stream could not be resumed in time. */
    public static final int UNREACHABLE = 69;
    /** The server answered something the client does not understand. */
    public static final int BAD_ANSWER = 70;
    /** The followed job was cancelled. */
    public static final int JOB_CANCELLED = 80;
    /** The followed job was interrupted: the server stopped while it ran. */
    public static final int JOB_INTERRUPTED = 81;
    /** A prompt matched none of the {@code --answer} patterns (and had no default to take). */
    public static final int UNMATCHED_PROMPT = 82;

    private ExitCodes() {
    }
}
