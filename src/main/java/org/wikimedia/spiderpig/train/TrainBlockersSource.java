package org.wikimedia.spiderpig.train;

import reactor.core.publisher.Mono;

/**
 * This week's train and its blocker task, as the train-blockers API tells it. {@link #current} fails with a
 * {@link TrainBlockersUnavailable} saying why when the source cannot answer, and never waits longer than its
 * configured timeout.
 */
public interface TrainBlockersSource {

    Mono<BlockerTask> current();

    /** The task's page on Phabricator ({@code spiderpig.gerrit.phabricator-url}). */
    static String taskUrl(String phabricatorUrl, String taskId) {
        return (phabricatorUrl.endsWith("/") ? phabricatorUrl : phabricatorUrl + "/") + taskId;
    }

    /** The train's version, its Phabricator blocker task ({@code T123456}) with its status, date and page. */
    record BlockerTask(String version, String taskId, String status, String date, String url) {
    }

    class TrainBlockersUnavailable extends RuntimeException {
        public TrainBlockersUnavailable(String message) {
            super(message);
        }
    }
}
