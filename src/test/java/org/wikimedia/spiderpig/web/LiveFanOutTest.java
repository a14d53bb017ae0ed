package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;

/**
 * Many streams of one job during a flood of output, as the shared live path ({@link LogFanOut}) and the
 * streams' own catch-up hand them back and forth: every stream gets every event once and in order, a
 * stalled client holds neither the others nor memory, a reconnect with Last-Event-ID continues without a
 * gap, and clients that go away mid-flood leave nothing behind.
 */
@ServerTest
class LiveFanOutTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-fanout");
    static final int LINES = 20_000;
    static final Duration PATIENCE = Duration.ofMinutes(3);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // Lines come in bursts with pauses, so that streams are live for a while, fall behind, catch up.
        TestScripts.jobType(registry, DATA, "flood", """
                printf "Start the flood? [y/N] "
                read -r answer
                pad=$(printf '%0100d' 0)
                for burst in $(seq 0 39); do
                  seq $((burst * 500 + 1)) $((burst * 500 + 500)) | sed "s/^/flood $pad /"
                  sleep 0.02
                done
                """);
        registry.add("spiderpig.data-dir", DATA::toString);
        registry.add("spiderpig.streams.message-cache-bytes", () -> "64KB");
        // Paced hard (40 streams: a shared run at most every 10 ms), so that runs gather many lines and
        // streams join and leave the shared path while the next run waits for its time.
        registry.add("spiderpig.streams.fan-out-writes", () -> "4000");
    }

    private final ExecutorService readers = Executors.newCachedThreadPool();

    @AfterEach
    void stopReaders() {
        readers.shutdownNow();
    }

    @Test
    void everyStreamGetsEveryEventOnceAndInOrder() throws Exception {
        long id = startFlood();
        List<StreamReader> streams = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            streams.add(StreamReader.open(port, id, null));
        }
        List<CompletableFuture<List<Long>>> ids = new ArrayList<>();
        for (StreamReader stream : streams) {
            stream.awaitConnected();
            ids.add(CompletableFuture.supplyAsync(stream::readIdsToEnd, readers));
        }

        answer(id);

        List<Long> first = ids.get(0).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(first).isEqualTo(LongStream.rangeClosed(1, first.size()).boxed().toList());
        assertThat(lineEvents(id)).isGreaterThanOrEqualTo(LINES);
        for (CompletableFuture<List<Long>> stream : ids) {
            assertThat(stream.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(first);
        }
    }

    @Test
    void aStalledClientHoldsNeitherTheOthersNorMemory() throws Exception {
        long id = startFlood();
        StreamReader stalled = StreamReader.open(port, id, null);
        stalled.awaitConnected();
        StreamReader reading = StreamReader.open(port, id, null);
        reading.awaitConnected();
        CompletableFuture<List<Long>> others = CompletableFuture.supplyAsync(reading::readIdsToEnd, readers);

        answer(id);

        List<Long> all = others.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(all).isEqualTo(LongStream.rangeClosed(1, all.size()).boxed().toList());
        assertThat(stalled.readIdsToEnd()).isEqualTo(all);
        // What the stalled stream holds meanwhile is a memory figure, not asserted here: the JDK's direct
        // memory moves by whole allocator chunks (4 MiB), more than this flood (about 2 MB), so a bound on it
        // failed at random. The fan-out benchmark measures the server's memory (docs/benchmarks/fan-out.md).
    }

    @Test
    void aReconnectWithLastEventIdMidFloodContinuesWithoutAGap() throws Exception {
        long id = startFlood();
        StreamReader first = StreamReader.open(port, id, null);
        first.awaitConnected();
        StreamReader whole = StreamReader.open(port, id, null);
        whole.awaitConnected();
        CompletableFuture<List<Long>> all = CompletableFuture.supplyAsync(whole::readIdsToEnd, readers);

        answer(id);
        List<Long> before = first.readIds(LINES / 3);
        first.close();
        long lastSeen = before.get(before.size() - 1);
        List<Long> after = StreamReader.open(port, id, lastSeen).readIdsToEnd();

        List<Long> joined = new ArrayList<>(before);
        joined.addAll(after);
        assertThat(joined).isEqualTo(all.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void clientsThatGoAwayMidFloodLeaveTheOthersWhole() throws Exception {
        long id = startFlood();
        List<StreamReader> leaving = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            StreamReader stream = StreamReader.open(port, id, null);
            stream.awaitConnected();
            leaving.add(stream);
        }
        StreamReader staying = StreamReader.open(port, id, null);
        staying.awaitConnected();
        CompletableFuture<List<Long>> all = CompletableFuture.supplyAsync(staying::readIdsToEnd, readers);

        answer(id);
        for (StreamReader stream : leaving) {
            stream.readIds(1_000);
            stream.close();
        }

        List<Long> ids = all.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(ids).isEqualTo(LongStream.rangeClosed(1, ids.size()).boxed().toList());
        assertThat(lineEvents(id)).isGreaterThanOrEqualTo(LINES);
    }

    @Test
    void aStreamOfTheLatestLinesGetsEveryOtherEventTheLinesBeforeItAndTheLastLine() throws Exception {
        long id = startFlood();
        StreamReader everything = StreamReader.open(port, id, null);
        everything.awaitConnected();
        StreamReader latest = StreamReader.open(port, id, null, "?lines=latest");
        latest.awaitConnected();
        CompletableFuture<List<String>> all = CompletableFuture.supplyAsync(everything::readEventsToEnd, readers);
        CompletableFuture<List<String>> picked = CompletableFuture.supplyAsync(latest::readEventsToEnd, readers);

        answer(id);

        List<String> events = all.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        List<String> sent = picked.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(sent).isSubsetOf(events).doesNotHaveDuplicates();
        assertThat(sent.stream().map(StreamReader::seq).toList()).isSorted();
        List<String> mustBeSent = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            boolean lastLine = events.get(i).endsWith(" line")
                    && (i + 1 == events.size() || !events.get(i + 1).endsWith(" line"));
            if (!events.get(i).endsWith(" line") || lastLine) {
                mustBeSent.add(events.get(i));
            }
        }
        assertThat(sent).containsAll(mustBeSent);
        assertThat(sent.get(sent.size() - 1)).endsWith(" end");
    }

    private long startFlood() {
        return api.start("flood", Map.of()).get("id").asLong();
    }

    private void answer(long id) {
        long interaction = api.awaitPrompt(id).get("id").asLong();
        api.answer(id, interaction, "y").expectStatus().isOk();
    }

    private long lineEvents(long id) {
        return api.job(id).get("lineCount").asLong();
    }

    /** A job's event stream read over a plain socket (so that a test can stop reading it): the ids of its events. */
    private static final class StreamReader implements AutoCloseable {

        private final Socket socket;
        private final BufferedReader reader;

        private StreamReader(Socket socket) throws IOException {
            this.socket = socket;
            this.reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        static StreamReader open(int port, long job, Long lastEventId) throws IOException {
            return open(port, job, lastEventId, "");
        }

        static StreamReader open(int port, long job, Long lastEventId, String query) throws IOException {
            Socket socket = new Socket();
            // Small, so that a client that stops reading soon fills its connection.
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout((int) PATIENCE.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/jobs/" + job + "/events" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new StreamReader(socket);
        }

        void awaitConnected() throws IOException {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.equals(":connected")) {
                    return;
                }
            }
            throw new IOException("the stream ended before :connected");
        }

        /** Ids until the stream ends (chunk sizes are lines of their own and never start with "id:"). */
        List<Long> readIdsToEnd() {
            return readIds(Integer.MAX_VALUE);
        }

        List<Long> readIds(int most) {
            List<Long> ids = new ArrayList<>();
            try {
                for (String line = reader.readLine(); line != null && ids.size() < most; line = reader.readLine()) {
                    if (line.startsWith("id:")) {
                        ids.add(Long.parseLong(line.substring(3)));
                    } else if (line.equals("event:end")) {
                        break;
                    }
                }
                return ids;
            } catch (IOException e) {
                throw new IllegalStateException("after " + ids.size() + " ids", e);
            }
        }

        /** Each event until the stream ends, as its id and type ("12 line"). */
        List<String> readEventsToEnd() {
            List<String> events = new ArrayList<>();
            try {
                String id = null;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith("id:")) {
                        id = line.substring(3);
                    } else if (line.startsWith("event:")) {
                        events.add(id + " " + line.substring(6));
                        if (line.equals("event:end")) {
                            break;
                        }
                    }
                }
                return events;
            } catch (IOException e) {
                throw new IllegalStateException("after " + events.size() + " events", e);
            }
        }

        static long seq(String event) {
            return Long.parseLong(event.substring(0, event.indexOf(' ')));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
