package org.wikimedia.spiderpig.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A wrong address typed in a browser gets the web UI (status 404), which shows its own not-found page;
 * the API and everything that does not ask for HTML first keep their problem JSON.
 */
final class NotFoundPage {

    private static final List<String> NOT_PAGES = List.of("/api/", "/actuator", "/v3/");
    private final Resource index;
    private volatile byte[] loaded;

    /** {@code index}: the UI's index.html (absent when the build left the UI out). */
    NotFoundPage(Resource index) {
        this.index = index;
    }

    static NotFoundPage ofBuild() {
        return new NotFoundPage(new ClassPathResource("static/index.html"));
    }

    /** The UI's index.html when {@code request} is a browser's page load of an unknown address, else null. */
    byte[] forRequest(ServerHttpRequest request) {
        HttpMethod method = request.getMethod();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            return null;
        }
        String path = request.getPath().value();
        if (path.equals("/api") || NOT_PAGES.stream().anyMatch(path::startsWith) || !wantsHtml(request)) {
            return null;
        }
        return indexHtml();
    }

    /** A browser's page load lists text/html first; fetch, curl and EventSource do not ask for it. */
    private static boolean wantsHtml(ServerHttpRequest request) {
        try {
            List<MediaType> accepted = request.getHeaders().getAccept();
            return !accepted.isEmpty() && accepted.get(0).isCompatibleWith(MediaType.TEXT_HTML)
                    && !accepted.get(0).isWildcardType();
        } catch (RuntimeException unreadable) {
            return false; // a bad Accept gets its own problem
        }
    }

    private byte[] indexHtml() {
        byte[] cached = loaded;
        if (cached != null || !index.exists()) {
            return cached;
        }
        try (InputStream in = index.getInputStream()) {
            loaded = in.readAllBytes();
            return loaded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
