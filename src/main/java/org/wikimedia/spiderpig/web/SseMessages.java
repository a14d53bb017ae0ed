package org.wikimedia.spiderpig.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.wikimedia.spiderpig.masking.MaskedEventJson;
import org.wikimedia.spiderpig.model.json.EventJson;
import org.wikimedia.spiderpig.model.JobEvent;

/**
 * SSE messages as the bytes that go on the wire, made once per event however many streams send it.
 *
 * <p>Followers of a live log receive the very same {@link JobEvent} instances (from the log's ring), so a
 * small cache keyed by identity turns 1,000 subscribers' 1,000 maskings, serializations and encodings of
 * a line into one, and each stream then only wraps the shared bytes. A miss (an event read back from the
 * files for one late client) only costs rendering it; the cache never grows, in entries or in bytes: a
 * message that would take it past its byte budget is not kept (and frees the slot it would have taken).
 */
public final class SseMessages {

    private record Entry(JobEvent event, byte[] message) {
    }

    static final int WRITE_BYTES = 8 * 1024;
    static final long DEFAULT_CACHE_BYTES = 4L << 20;

    private final MaskedEventJson maskedJson;
    private final AtomicReferenceArray<Entry> cache;
    private final long cacheBytes;
    private final AtomicLong cachedBytes = new AtomicLong();

    public SseMessages(MaskedEventJson maskedJson, int cacheSize) {
        this(maskedJson, cacheSize, DEFAULT_CACHE_BYTES);
    }

    /**
     * @param cacheSize  entries, rounded up to a power of two; a few thousand covers the live edge of all jobs
     * @param cacheBytes the most bytes of messages the cache holds
     */
    public SseMessages(MaskedEventJson maskedJson, int cacheSize, long cacheBytes) {
        this.maskedJson = maskedJson;
        this.cache = new AtomicReferenceArray<>(Integer.highestOneBit(Math.max(1, cacheSize - 1)) << 1);
        this.cacheBytes = cacheBytes;
    }

    /**
     * The messages of a run of events, joined into writes of up to about {@value #WRITE_BYTES} bytes: one
     * write per message would cost each stream a trip through the network stack per line, while much
     * bigger writes would let a stalled client hold that much more memory (a stream has up to 128 writes
     * in flight). A message longer than that (a long line) is cut into writes of that size, so a stalled
     * client holds at most 128 × {@value #WRITE_BYTES} bytes in the server.
     */
    public List<byte[]> writes(List<JobEvent> events) {
        List<byte[]> writes = new ArrayList<>(1);
        List<byte[]> pending = new ArrayList<>(Math.min(events.size(), 64));
        int pendingBytes = 0;
        for (JobEvent event : events) {
            byte[] message = of(event);
            if (pendingBytes > 0 && pendingBytes + message.length > WRITE_BYTES) {
                writes.add(join(pending, pendingBytes));
                pending.clear();
                pendingBytes = 0;
            }
            if (message.length > WRITE_BYTES) {
                for (int from = 0; from < message.length; from += WRITE_BYTES) {
                    writes.add(Arrays.copyOfRange(message, from, Math.min(message.length, from + WRITE_BYTES)));
                }
                continue;
            }
            pending.add(message);
            pendingBytes += message.length;
        }
        if (pendingBytes > 0) {
            writes.add(join(pending, pendingBytes));
        }
        return writes;
    }

    /** {@code id:}, {@code event:} and {@code data:} (one line of masked JSON) of a job's event. */
    public byte[] of(JobEvent event) {
        int slot = (int) ((event.seq() * 31 + event.jobId()) & (cache.length() - 1));
        Entry entry = cache.get(slot);
        if (entry != null && entry.event() == event) {
            return entry.message();
        }
        byte[] message = message(Long.toString(event.seq()), event.type().wireName(), maskedJson.wire(event));
        boolean fits = cachedBytes.get() - (entry == null ? 0 : entry.message().length) + message.length <= cacheBytes;
        Entry replaced = cache.getAndSet(slot, fits ? new Entry(event, message) : null);
        cachedBytes.addAndGet((fits ? message.length : 0) - (replaced == null ? 0 : replaced.message().length));
        return message;
    }

    private static byte[] join(List<byte[]> messages, int bytes) {
        if (messages.size() == 1) {
            return messages.get(0);
        }
        byte[] joined = new byte[bytes];
        int at = 0;
        for (byte[] message : messages) {
            System.arraycopy(message, 0, joined, at, message.length);
            at += message.length;
        }
        return joined;
    }

    /** One SSE message without an id; {@code data} is one line of JSON, so it needs no splitting. */
    static byte[] message(String event, String data) {
        return message(null, event, data.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] comment(String text) {
        return (":" + text + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** An event's message from its JSON as given: for the unmasked stream, which no cache may share. */
    static byte[] unmasked(JobEvent event, EventJson json) {
        return message(Long.toString(event.seq()), event.type().wireName(), json.toWireBytes(event));
    }

    private static byte[] message(String id, String event, byte[] data) {
        byte[] head = ((id == null ? "" : "id:" + id + "\n") + "event:" + event + "\ndata:").getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(data, 0, message, head.length, data.length);
        message[message.length - 2] = '\n';
        message[message.length - 1] = '\n';
        return message;
    }
}
