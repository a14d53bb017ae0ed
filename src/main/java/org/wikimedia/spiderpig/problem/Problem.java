package org.wikimedia.spiderpig.problem;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure the client can act on, turned by the web layer into an RFC 9457 problem. {@code type} is the
 * suffix of the problem type URI (see docs/api.md); {@code properties} are extra members of the problem.
 */
public class Problem extends RuntimeException {

    public static final String TYPE_BASE = "https://spiderpig.wikimedia.org/problems/";

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> properties;

    public Problem(int status, String type, String title, String detail, Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    public Problem(int status, String type, String title, String detail) {
        this(status, type, title, detail, Map.of());
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "not-found", "Not found", detail);
    }

    public static Problem malformed(String detail) {
        return new Problem(400, "malformed-request", "Malformed request", detail);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
