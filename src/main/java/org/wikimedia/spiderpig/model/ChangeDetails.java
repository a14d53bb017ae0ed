package org.wikimedia.spiderpig.model;

/**
 * What Gerrit says about one change, as recorded with a job. When Gerrit could not be asked (down, slow,
 * an answer that made no sense) only {@code number} is set and {@code error} says why.
 */
public record ChangeDetails(
        String number,
        String project,
        String branch,
        String subject,
        String status,
        String commitMessage,
        String url,
        String error) {

    public static ChangeDetails unavailable(String number, String why) {
        return new ChangeDetails(number, null, null, null, null, null, null, why);
    }
}
