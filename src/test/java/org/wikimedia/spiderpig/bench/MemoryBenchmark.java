package org.wikimedia.spiderpig.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.wikimedia.spiderpig.bench.ProcMemory.hwmKib;
import static org.wikimedia.spiderpig.bench.ProcMemory.rssKib;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.bench.ProcMemory.RssSampler;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.ServerProcess;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * The server's memory under the two loads of docs/benchmarks/memory.md, in a JVM of its own with the heap
 * limit docs/operations.md recommends: three jobs in a row that each print 300 MB without a newline, then
 * a job printing 1,000,000 lines while three SSE clients that never read follow it. Every job must
 * succeed; the server's RSS is sampled from /proc every 100 ms (VmRSS, and VmHWM at the end), and the
 * heap in use is read after a full GC once the long-line jobs ended. Skipped unless
 * {@code -Dspiderpig.benchmark=true}:
 *
 * <pre>
 * mvn -q -B -Dfrontend.skip -Dspiderpig.benchmark=true -Dtest=MemoryBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false test 2>&1 | grep BENCH
 * </pre>
 *
 * Options: {@code -Dspiderpig.benchmark.server-jvm="-Xmx256m"} (the default), {@code
 * -Dspiderpig.benchmark.long-line-bytes=300000000}, {@code -Dspiderpig.benchmark.flood-lines=1000000}.
 */
class MemoryBenchmark {

    private static final long LONG_LINE_BYTES = Long.getLong("spiderpig.benchmark.long-line-bytes", 300_000_000L);
    private static final long FLOOD_LINES = Long.getLong("spiderpig.benchmark.flood-lines", 1_000_000L);
    private static final int STALLED_SUBSCRIBERS = 3;
    private static final Duration JOB_DEADLINE = Duration.ofMinutes(30);
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    @Test
    void longLinesAndAFloodWithStalledSubscribersFinishWithinTheHeap() throws Exception {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Dspiderpig.benchmark=true");
        Path data = TestScripts.tempDirectory("spiderpig-memory");
        List<String> jvmOptions = List.of(System.getProperty("spiderpig.benchmark.server-jvm", "-Xmx256m").split(" "))
                .stream().filter(option -> !option.isBlank()).toList();
        Path longLine = TestScripts.write(data.resolve("scripts"), "long-line.sh",
                "head -c " + LONG_LINE_BYTES + " /dev/zero | tr '\\0' x\n");
        Path flood = TestScripts.write(data.resolve("scripts"), "flood.sh", "printf 'Start the flood? [y/N] '\n"
                + "read -r answer\n"
                + "seq -f 'flood line %.0f: the quick brown fox jumps over the lazy dog' 1 " + FLOOD_LINES + "\n");
        try (ServerProcess server = ServerProcess.start(data, jvmOptions, List.of("--logging.level.root=WARN",
                "--spiderpig.jobs.long-line.command=" + longLine, "--spiderpig.jobs.long-line.validator=none",
                "--spiderpig.jobs.flood.command=" + flood, "--spiderpig.jobs.flood.validator=none",
                "--spiderpig.runner.prompt-idle=200ms"))) {
            Api api = server.api();
            long idleRss = rssKib(server.pid());

            RssSampler longLines = new RssSampler(server.pid());
            Instant start = Instant.now();
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(api.start("long-line", Map.of()).get("id").asLong());
            }
            List<String> longLineStates = new ArrayList<>();
            for (long id : ids) {
                longLineStates.add(awaitEnd(api, id).get("state").asString());
            }
            double longLineSeconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
            longLines.close();
            long heapAfterGcKib = heapUsedAfterGcKib(server.pid());
            long rssAfterLongLines = rssKib(server.pid());

            RssSampler floodRss = new RssSampler(server.pid());
            long floodJob = api.start("flood", Map.of()).get("id").asLong();
            long prompt = api.awaitPrompt(floodJob).get("id").asLong();
            List<Socket> stalled = new ArrayList<>();
            for (int i = 0; i < STALLED_SUBSCRIBERS; i++) {
                stalled.add(stalledSubscriber(server.port(), floodJob));
            }
            start = Instant.now();
            api.answer(floodJob, prompt, "y").expectStatus().isOk();
            JsonNode floodEnd = awaitEnd(api, floodJob);
            double floodSeconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
            floodRss.close();
            long rssWithStalled = rssKib(server.pid());
            for (Socket socket : stalled) {
                socket.close();
            }

            System.out.printf(Locale.ROOT, """
                    BENCH memory: server JVM options %s
                    BENCH   idle server RSS %d MiB
                    BENCH   3 jobs of %,d bytes without a newline, one after another: %s in %.1f s; RSS peak %d MiB, after them %d MiB; heap in use after a full GC %d MiB
                    BENCH   %,d lines with %d stalled SSE subscribers: %s (%d lines) in %.1f s; RSS peak %d MiB, at the end %d MiB
                    BENCH   VmHWM (the server's peak RSS over the whole run) %d MiB
                    """,
                    jvmOptions.isEmpty() ? "(defaults)" : String.join(" ", jvmOptions), idleRss / 1024,
                    LONG_LINE_BYTES, longLineStates, longLineSeconds, longLines.peakKib() / 1024, rssAfterLongLines / 1024,
                    heapAfterGcKib / 1024, FLOOD_LINES, STALLED_SUBSCRIBERS, floodEnd.get("state").asString(),
                    floodEnd.get("lineCount").asLong(), floodSeconds, floodRss.peakKib() / 1024, rssWithStalled / 1024,
                    hwmKib(server.pid()) / 1024);
            assertThat(longLineStates).containsOnly("succeeded");
            assertThat(floodEnd.get("state").asString()).isEqualTo("succeeded");
        }
    }

    private static JsonNode awaitEnd(Api api, long id) {
        Instant deadline = Instant.now().plus(JOB_DEADLINE);
        while (true) {
            JsonNode job = api.job(id);
            String state = job.get("state").asString();
            if (!state.equals("queued") && !state.equals("running") && !state.equals("awaiting-input")) {
                return job;
            }
            assertThat(Instant.now()).as("job %d ended; last seen %s", id, job).isBefore(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
    }

    /** An SSE client that asks for the job's events and never reads a byte of them. */
    private static Socket stalledSubscriber(int port, long job) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/jobs/" + job + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** The heap in use after a full GC, from {@code jcmd} (what stays live, not what the heap grew to). */
    private static long heapUsedAfterGcKib(long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(2, TimeUnit.MINUTES);
        Process info = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        info.waitFor(2, TimeUnit.MINUTES);
        Matcher used = HEAP_USED.matcher(text);
        return used.find() ? Long.parseLong(used.group(1)) : -1;
    }
}
