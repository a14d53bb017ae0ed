package org.wikimedia.spiderpig.web;

import org.springframework.test.web.reactive.server.WebTestClient;

/** {@link JobApiTest#problem}, for tests in other packages. */
public final class JobApiTestAccess {

    private JobApiTestAccess() {
    }

    public static void problem(WebTestClient.ResponseSpec response, int status, String type) {
        JobApiTest.problem(response, status, type);
    }
}
