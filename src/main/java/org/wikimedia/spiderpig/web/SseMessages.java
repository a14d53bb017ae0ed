package org.wikimedia.spiderpig.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.wikimedia.spiderpig.masking.MaskedEventJson;
import org.wikimedia.spiderpig.model.json.EventJson;
import org.wikimedia.spiderpig.model.JobEvent;

/**
 * SSE messages as the bytes that go on the wire, made once per event and joined once per batch however
 * many streams send them.
 *
 * <p>Two small caches, each bounded in entries and in bytes (a message or batch that would take one past
 * its budget is not kept, and frees the slot it would have taken): one of rendered messages, keyed by the
 * event (the same instance from the log's ring, or an equal one read back from its files), so 1,000
 * subscribers' maskings, serializations and encodings of a line are one; and one of joined writes, keyed
 * by the run of events (its first and last event and its length): followers woken by the same append,
 * or catching up through the same aligned batches of the log, ask for the same runs, and then each
 * stream only wraps the very same direct buffers, which the socket writes without a copy of its own.
 */
public final class SseMessages {

    private record Entry(JobEvent event, byte[] message) {
    }

    /** A run of events and its writes, each a direct buffer that no one may change (hand out duplicates). */
    private record Batch(JobEvent first, JobEvent last, int size, List<ByteBuffer> writes, long bytes) {

        boolean isOf(List<JobEvent> events) {
            return size == events.size() && same(first, events.get(0)) && same(last, events.get(size - 1));
        }
    }

    private static final int BATCH_SLOTS = 256;

    static final int WRITE_BYTES = 8 * 1024;
    static final long DEFAULT_CACHE_BYTES = 4L << 20;

    private final MaskedEventJson maskedJson;
    private final AtomicReferenceArray<Entry> cache;
    private final long cacheBytes;
    private final AtomicLong cachedBytes = new AtomicLong();
    private final AtomicReferenceArray<Batch> batches = new AtomicReferenceArray<>(BATCH_SLOTS);
    private final AtomicLong batchedBytes = new AtomicLong();

    public SseMessages(MaskedEventJson maskedJson, int cacheSize) {
        this(maskedJson, cacheSize, DEFAULT_CACHE_BYTES);
    }

    /**
     * @param cacheSize  entries, rounded up to a power of two; a few thousand covers the live edge of all jobs
     * @param cacheBytes the most bytes of messages the message cache holds, and of writes the batch cache holds
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
     * client holds at most 128 × {@value #WRITE_BYTES} bytes in the server. The buffers are shared with
     * every other stream that sends the same run: a stream must send {@link ByteBuffer#duplicate()
     * duplicates} and never change them.
     */
    public List<ByteBuffer> writes(List<JobEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        JobEvent first = events.get(0);
        int slot = (int) ((first.seq() * 31 + first.jobId()) & (BATCH_SLOTS - 1));
        Batch cached = batches.get(slot);
        if (cached != null && cached.isOf(events)) {
            return cached.writes();
        }
        Batch batch = join(events);
        boolean fits = batchedBytes.get() - (cached == null ? 0 : cached.bytes()) + batch.bytes() <= cacheBytes;
        Batch replaced = batches.getAndSet(slot, fits ? batch : null);
        batchedBytes.addAndGet((fits ? batch.bytes() : 0) - (replaced == null ? 0 : replaced.bytes()));
        return batch.writes();
    }

    /**
     * {@link #writes} of a run that only one stream sends (a {@code ?lines=latest} stream's pick of the
     * lines), not kept in the cache of joined writes, where it would take a slot that the runs many streams
     * share need.
     */
    public List<ByteBuffer> writesOnce(List<JobEvent> events) {
        return events.isEmpty() ? List.of() : join(events).writes();
    }

    private Batch join(List<JobEvent> events) {
        List<ByteBuffer> writes = new ArrayList<>(1);
        List<byte[]> pending = new ArrayList<>(Math.min(events.size(), 64));
        int pendingBytes = 0;
        long bytes = 0;
        for (JobEvent event : events) {
            byte[] message = of(event);
            bytes += message.length;
            if (pendingBytes > 0 && pendingBytes + message.length > WRITE_BYTES) {
                writes.add(direct(pending, pendingBytes));
                pending.clear();
                pendingBytes = 0;
            }
            if (message.length > WRITE_BYTES) {
                for (int from = 0; from < message.length; from += WRITE_BYTES) {
                    writes.add(ByteBuffer.allocateDirect(Math.min(WRITE_BYTES, message.length - from))
                            .put(message, from, Math.min(WRITE_BYTES, message.length - from)).flip());
                }
                continue;
            }
            pending.add(message);
            pendingBytes += message.length;
        }
        if (pendingBytes > 0) {
            writes.add(direct(pending, pendingBytes));
        }
        return new Batch(events.get(0), events.get(events.size() - 1), events.size(), List.copyOf(writes), bytes);
    }

    /**
     * Off the heap, because a socket writes only direct memory (a heap buffer would be copied into one for
     * every stream); freed by the garbage collector once no stream and no cache refers to it.
     */
    private static ByteBuffer direct(List<byte[]> messages, int bytes) {
        ByteBuffer joined = ByteBuffer.allocateDirect(bytes);
        for (byte[] message : messages) {
            joined.put(message);
        }
        return joined.flip();
    }

    /** The same event: the very instance (from the ring), or an equal one read back from the files. */
    private static boolean same(JobEvent cached, JobEvent event) {
        return cached == event || cached.equals(event);
    }

    /** {@code id:}, {@code event:} and {@code data:} (one line of masked JSON) of a job's event. */
    public byte[] of(JobEvent event) {
        int slot = (int) ((event.seq() * 31 + event.jobId()) & (cache.length() - 1));
        Entry entry = cache.get(slot);
        if (entry != null && same(entry.event(), event)) {
            return entry.message();
        }
        byte[] message = message(Long.toString(event.seq()), event.type().wireName(), maskedJson.wire(event));
        boolean fits = cachedBytes.get() - (entry == null ? 0 : entry.message().length) + message.length <= cacheBytes;
        Entry replaced = cache.getAndSet(slot, fits ? new Entry(event, message) : null);
        cachedBytes.addAndGet((fits ? message.length : 0) - (replaced == null ? 0 : replaced.message().length));
        return message;
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
