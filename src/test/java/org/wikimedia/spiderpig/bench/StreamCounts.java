package org.wikimedia.spiderpig.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wikimedia.spiderpig.support.ServerProcess;

/**
 * A server's counts of how its job event streams got their events (its /actuator/prometheus): streams joining
 * and leaving the shared fan-out, batches they wrote following the log by themselves, and where the log's
 * followers took their batches (ring or storage). Taken before and after a round, the difference says whether
 * the round's clients were written together or each read the log by itself.
 */
record StreamCounts(Map<String, Double> counts) {

    private static final Map<String, String> SHOWN = new LinkedHashMap<>();
    private static final Pattern SAMPLE = Pattern.compile("^(spiderpig_[a-z_]+_total)(\\{[^}]*})? (\\S+)$",
            Pattern.MULTILINE);

    static {
        SHOWN.put("spiderpig_sse_fanout_joined_total", "joined");
        SHOWN.put("spiderpig_sse_fanout_left_total{reason=\"not-writable\"}", "left not writable");
        SHOWN.put("spiderpig_sse_fanout_left_total{reason=\"gap\"}", "left at a gap");
        SHOWN.put("spiderpig_sse_own_batches_total", "own batches");
        SHOWN.put("spiderpig_sse_fanout_runs_total", "shared runs");
        SHOWN.put("spiderpig_sse_fanout_run_events_total", "events in them");
        SHOWN.put("spiderpig_eventlog_follower_batches_total{source=\"ring\"}", "follower batches from ring");
        SHOWN.put("spiderpig_eventlog_follower_batches_total{source=\"storage\"}", "from storage");
    }

    static StreamCounts of(ServerProcess server) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Double> counts = new LinkedHashMap<>();
        Matcher sample = SAMPLE.matcher(response.body());
        while (sample.find()) {
            // Without the common application tag: {application="spiderpig",reason="gap"} as {reason="gap"}.
            String tags = sample.group(2) == null ? "" : sample.group(2).replaceAll("application=\"[^\"]*\",?", "")
                    .replace(",}", "}").replace("{}", "");
            counts.put(sample.group(1) + tags, Double.parseDouble(sample.group(3)));
        }
        return new StreamCounts(counts);
    }

    /** What changed since {@code before}, one "label n" per shown count. */
    String since(StreamCounts before) {
        StringBuilder text = new StringBuilder();
        SHOWN.forEach((name, label) -> {
            double delta = counts.getOrDefault(name, 0.0) - before.counts.getOrDefault(name, 0.0);
            text.append(text.isEmpty() ? "" : ", ").append(label).append(' ').append((long) delta);
        });
        return text.toString();
    }
}
