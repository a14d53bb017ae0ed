package org.wikimedia.spiderpig.gerrit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.wikimedia.spiderpig.model.ChangeDetails;
import reactor.core.publisher.Mono;

/**
 * Keeps answers (a change's details, or that Gerrit does not know it) for a short while, so a start form
 * asking on every keystroke asks Gerrit once. Failures to reach Gerrit are not kept: the next ask tries again.
 */
public class CachedChangeDetails implements ChangeDetailsSource {

    static final int MAX_ENTRIES = 1000;

    private record Entry(Mono<ChangeDetails> answer, Instant expires) {
    }

    private final ChangeDetailsSource source;
    private final Duration keepFor;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public CachedChangeDetails(ChangeDetailsSource source, Duration keepFor, Clock clock) {
        this.source = source;
        this.keepFor = keepFor;
        this.clock = clock;
    }

    @Override
    public Mono<ChangeDetails> fetch(String number) {
        Instant now = clock.instant();
        Entry entry = entries.get(number);
        if (entry != null && entry.expires().isAfter(now)) {
            return entry.answer();
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(old -> !old.expires().isAfter(now));
        }
        Mono<ChangeDetails> answer = source.fetch(number)
                .doOnError(error -> {
                    if (!ChangeDetailsSource.isUnknownChange(error)) {
                        entries.remove(number);
                    }
                })
                .cache();
        if (entries.size() < MAX_ENTRIES) {
            entries.put(number, new Entry(answer, now.plus(keepFor)));
        }
        return answer;
    }
}
