package org.wikimedia.spiderpig.log.masking;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.wikimedia.spiderpig.event.EventJson;
import org.wikimedia.spiderpig.event.JobEvent;

/**
 * The masked wire JSON of an event ({@code data:} of an SSE message), computed once per event however
 * many streams send it. Followers of a live log receive the very same {@link JobEvent} instances (from
 * the log's ring), so a small cache keyed by identity turns 1,000 subscribers' 1,000 serializations of a
 * line into one. A miss only costs a serialization; the cache never grows.
 */
public final class MaskedEventJson {

    private record Entry(JobEvent event, String json) {
    }

    private final EventMasker masker;
    private final EventJson json;
    private final AtomicReferenceArray<Entry> cache;

    /** @param cacheSize entries, rounded up to a power of two; a few thousand covers the live edge of all jobs */
    public MaskedEventJson(EventMasker masker, EventJson json, int cacheSize) {
        this.masker = masker;
        this.json = json;
        this.cache = new AtomicReferenceArray<>(Integer.highestOneBit(Math.max(1, cacheSize - 1)) << 1);
    }

    public String wire(JobEvent event) {
        int slot = (int) ((event.seq() * 31 + event.jobId()) & (cache.length() - 1));
        Entry entry = cache.get(slot);
        if (entry != null && entry.event() == event) {
            return entry.json();
        }
        String wire = json.toWire(masker.mask(event));
        cache.set(slot, new Entry(event, wire));
        return wire;
    }
}
