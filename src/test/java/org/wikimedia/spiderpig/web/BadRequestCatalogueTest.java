package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.RawHttp;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * A catalogue of bad requests over every route, one row each, sent over a real socket: each answers its
 * exact status with a problem body, nothing a bad request carries reaches a job, and the server is healthy
 * afterwards.
 *
 * <p>In targets and bodies, {@code {job}} and {@code {iid}} name a job waiting at a choices prompt
 * ("y" or "n"), {@code {input}} and {@code {inputIid}} one waiting at an input_line prompt, and
 * {@code {done}} a finished job.
 */
@ServerTest
class BadRequestCatalogueTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-bad-requests");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestScripts.jobType(registry, DATA, "asker", """
                printf "Proceed? [y/N] "
                read -r answer
                echo "stdin: $answer"
                while read -r -t 1 extra; do echo "stdin: $extra"; done
                """);
        TestScripts.jobType(registry, DATA, "input", """
                echo "{\\"iokey\\":\\"$SPIDERPIG_IO_KEY\\",\\"type\\":\\"interaction\\",\\"subtype\\":\\"input_line\\",\\"prompt\\":\\"Reason?\\"}"
                read -r reason
                echo "stdin: $reason"
                while read -r -t 1 extra; do echo "stdin: $extra"; done
                """);
        TestScripts.jobType(registry, DATA, "quick", "echo hello\n");
        registry.add("spiderpig.data-dir", DATA::toString);
        registry.add("spiderpig.jobs.asker.concurrency-group", () -> "asker");
        registry.add("spiderpig.jobs.input.concurrency-group", () -> "input");
        registry.add("spiderpig.jobs.quick.concurrency-group", () -> "quick");
    }

    private static final String JSON = "application/json";
    private static final String NESTED_2000 = "[".repeat(2000) + "]".repeat(2000);
    private static final String HUGE_JSON = "{\"command\":\"" + "a".repeat(100_000) + "\"}";

    static List<Row> catalogue() {
        List<Row> rows = new ArrayList<>();

        // Media types of a body: a Content-Type that does not parse is a 400; JSON in anything but UTF-8 a 415.
        rows.add(row("Content-Type with a space", post("/api/jobs").header("Content-Type", "a b/c").body("{}"), 400, "malformed-request"));
        rows.add(row("Content-Type without subtype", post("/api/jobs").header("Content-Type", "application/").body("{}"), 400, "malformed-request"));
        rows.add(row("Content-Type of punctuation", post("/api/jobs").header("Content-Type", ";;;/").body("{}"), 400, "malformed-request"));
        rows.add(row("Content-Type with an unknown charset", post("/api/jobs").header("Content-Type", "application/json; charset=nope").body("{}"), 400, "malformed-request"));
        rows.add(row("Content-Type with a bad quality", post("/api/jobs").header("Content-Type", "application/json; q=x").body("{}"), 400, "malformed-request"));
        rows.add(row("malformed Content-Type on an answer", post("/api/jobs/{job}/interactions/{iid}").header("Content-Type", "a b/c").body("{\"response\":\"y\"}"), 400, "malformed-request"));
        rows.add(row("malformed Content-Type on a cancel", post("/api/jobs/{job}/cancel").header("Content-Type", ";;;/"), 400, "malformed-request"));
        rows.add(row("no Content-Type", post("/api/jobs").body("{\"command\":\"quick\"}"), 415, "unsupported-media-type"));
        rows.add(row("text/plain body", post("/api/jobs").header("Content-Type", "text/plain").body("{\"command\":\"quick\"}"), 415, "unsupported-media-type"));
        rows.add(row("form body", post("/api/jobs").header("Content-Type", "application/x-www-form-urlencoded").body("command=quick"), 415, "unsupported-media-type"));
        rows.add(row("multipart body", post("/api/jobs").header("Content-Type", "multipart/form-data; boundary=x").body("--x--"), 415, "unsupported-media-type"));
        rows.add(row("JSON in ISO-8859-1", post("/api/jobs").header("Content-Type", "application/json; charset=ISO-8859-1").body("{\"command\":\"quick\"}"), 415, "unsupported-media-type"));
        rows.add(row("JSON in UTF-16", post("/api/jobs").header("Content-Type", "application/json; charset=UTF-16").body("{\"command\":\"quick\"}"), 415, "unsupported-media-type"));
        rows.add(row("text/plain answer", post("/api/jobs/{job}/interactions/{iid}").header("Content-Type", "text/plain").body("y"), 415, "unsupported-media-type"));

        // Bodies of POST /api/jobs.
        rows.add(row("empty body", post("/api/jobs").json(""), 400, "malformed-request"));
        rows.add(row("whitespace body", post("/api/jobs").json("  \n "), 400, "malformed-request"));
        rows.add(row("unfinished object", post("/api/jobs").json("{\"command\": "), 400, "malformed-request"));
        rows.add(row("lone brace", post("/api/jobs").json("{"), 400, "malformed-request"));
        rows.add(row("array body", post("/api/jobs").json("[1,2]"), 400, "malformed-request"));
        rows.add(row("string body", post("/api/jobs").json("\"quick\""), 400, "malformed-request"));
        rows.add(row("number body", post("/api/jobs").json("42"), 400, "malformed-request"));
        rows.add(row("null body", post("/api/jobs").json("null"), 400, "malformed-request"));
        rows.add(row("no command", post("/api/jobs").json("{}"), 400, "malformed-request"));
        rows.add(row("blank command", post("/api/jobs").json("{\"command\":\" \"}"), 400, "malformed-request"));
        rows.add(row("command is a number", post("/api/jobs").json("{\"command\":42}"), 400, "malformed-request"));
        rows.add(row("command is a boolean", post("/api/jobs").json("{\"command\":true}"), 400, "malformed-request"));
        rows.add(row("command is an object", post("/api/jobs").json("{\"command\":{}}"), 400, "malformed-request"));
        rows.add(row("command is an array", post("/api/jobs").json("{\"command\":[\"quick\"]}"), 400, "malformed-request"));
        rows.add(row("parameters is an array", post("/api/jobs").json("{\"command\":\"quick\",\"parameters\":[]}"), 400, "malformed-request"));
        rows.add(row("parameters is a string", post("/api/jobs").json("{\"command\":\"quick\",\"parameters\":\"x\"}"), 400, "malformed-request"));
        rows.add(row("command given twice", post("/api/jobs").json("{\"command\":\"nope\",\"command\":\"quick\"}"), 400, "malformed-request"));
        rows.add(row("trailing garbage", post("/api/jobs").json("{\"command\":\"quick\"} x"), 400, "malformed-request"));
        rows.add(row("two objects", post("/api/jobs").json("{\"command\":\"quick\"}{\"command\":\"quick\"}"), 400, "malformed-request"));
        rows.add(row("single quotes", post("/api/jobs").json("{'command':'quick'}"), 400, "malformed-request"));
        rows.add(row("comment in JSON", post("/api/jobs").json("{/* hi */\"command\":\"quick\"}"), 400, "malformed-request"));
        rows.add(row("raw control character in a string", post("/api/jobs").json("{\"command\":\"qu\u0001ick\"}"), 400, "malformed-request"));
        rows.add(row("2000 nested arrays", post("/api/jobs").json("{\"command\":\"quick\",\"parameters\":{\"x\":" + NESTED_2000 + "}}"), 400, "malformed-request"));
        rows.add(row("2000 nested arrays as the body", post("/api/jobs").json(NESTED_2000), 400, "malformed-request"));
        rows.add(row("nesting just past 500 levels", post("/api/jobs").json("{\"command\":\"quick\",\"parameters\":{\"x\":" + "[".repeat(500) + "]".repeat(500) + "}}"), 400, "malformed-request"));
        rows.add(row("1000 nested objects", post("/api/jobs").json("{\"a\":".repeat(1000) + "1" + "}".repeat(1000)), 400, "malformed-request"));
        rows.add(row("invalid UTF-8 in a string", post("/api/jobs").json(bytes("{\"command\":\"", new byte[] {(byte) 0xff, (byte) 0xfe}, "\"}")), 400, "malformed-request"));
        rows.add(row("overlong UTF-8 encoding", post("/api/jobs").json(bytes("{\"command\":\"", new byte[] {(byte) 0xc0, (byte) 0xaf}, "\"}")), 400, "malformed-request"));
        rows.add(row("truncated UTF-8 sequence", post("/api/jobs").json(bytes("{\"command\":\"", new byte[] {(byte) 0xe2, (byte) 0x82}, "\"}")), 400, "malformed-request"));
        rows.add(row("body over 64 KiB", post("/api/jobs").json(HUGE_JSON), 413, "payload-too-large"));
        rows.add(row("chunked body over 64 KiB", post("/api/jobs").json(HUGE_JSON).chunked(), 413, "payload-too-large"));
        rows.add(row("broken chunk size", post("/api/jobs").header("Content-Type", JSON).header("Transfer-Encoding", "chunked").rawBody("zz\r\n{}\r\n0\r\n\r\n"), 400, "malformed-request"));
        rows.add(row("Content-Length that is not a number", post("/api/jobs").header("Content-Type", JSON).header("Content-Length", "abc").rawBody("{}"), 400, "malformed-request"));
        rows.add(row("Content-Length and chunked together", post("/api/jobs").header("Content-Type", JSON).header("Content-Length", "2").header("Transfer-Encoding", "chunked").rawBody("2\r\n{}\r\n0\r\n\r\n"), 400, "malformed-request"));
        rows.add(row("unknown command", post("/api/jobs").json("{\"command\":\"rm-rf\"}"), 400, "invalid-parameters"));
        rows.add(row("command with a NUL", post("/api/jobs").json("{\"command\":\"quick\\u0000\"}"), 400, "invalid-parameters"));
        rows.add(row("change id not a number", post("/api/jobs").json("{\"command\":\"backport\",\"parameters\":{\"changeIds\":[\"abc\"]}}"), 400, "invalid-parameters"));
        rows.add(row("change id zero", post("/api/jobs").json("{\"command\":\"backport\",\"parameters\":{\"changeIds\":[\"0\"]}}"), 400, "invalid-parameters"));
        rows.add(row("no change ids", post("/api/jobs").json("{\"command\":\"backport\",\"parameters\":{\"changeIds\":[]}}"), 400, "invalid-parameters"));
        rows.add(row("change ids not a list", post("/api/jobs").json("{\"command\":\"backport\",\"parameters\":{\"changeIds\":\"123\"}}"), 400, "invalid-parameters"));
        String changeIds = IntStream.rangeClosed(1, 21).mapToObj(i -> "\"" + i + "\"")
                .collect(Collectors.joining(","));
        rows.add(row("21 change ids", post("/api/jobs").json("{\"command\":\"backport\",\"parameters\":{\"changeIds\":[" + changeIds + "]}}"), 400, "invalid-parameters"));

        // Answers to the choices prompt of {job}: none of these may answer it.
        rows.add(row("answer is a number", post("/api/jobs/{job}/interactions/{iid}").json("{\"response\":42}"), 400, "malformed-request"));
        rows.add(row("answer is a boolean", post("/api/jobs/{job}/interactions/{iid}").json("{\"response\":true}"), 400, "malformed-request"));
        rows.add(row("answer is an array", post("/api/jobs/{job}/interactions/{iid}").json("{\"response\":[\"y\"]}"), 400, "malformed-request"));
        rows.add(row("answer is an object", post("/api/jobs/{job}/interactions/{iid}").json("{\"response\":{\"key\":\"y\"}}"), 400, "malformed-request"));
        rows.add(row("answer given twice", post("/api/jobs/{job}/interactions/{iid}").json("{\"response\":\"y\",\"response\":\"n\"}"), 400, "malformed-request"));
        rows.add(row("answer body is an array", post("/api/jobs/{job}/interactions/{iid}").json("[\"y\"]"), 400, "malformed-request"));
        rows.add(row("answer body is empty", post("/api/jobs/{job}/interactions/{iid}").json(""), 400, "malformed-request"));
        rows.add(row("answer in invalid UTF-8", post("/api/jobs/{job}/interactions/{iid}").json(bytes("{\"response\":\"", new byte[] {(byte) 0xc3, (byte) 0x28}, "\"}")), 400, "malformed-request"));
        rows.add(row("answer without response", post("/api/jobs/{job}/interactions/{iid}").json("{}"), 400, "invalid-response"));
        rows.add(row("answer null", post("/api/jobs/{job}/interactions/{iid}").json("{\"response\":null}"), 400, "invalid-response"));
        rows.add(row("answer not a choice", post("/api/jobs/{job}/interactions/{iid}").json("{\"response\":\"maybe\"}"), 400, "invalid-response"));
        rows.add(row("answer a choice's label, not its key", post("/api/jobs/{job}/interactions/{iid}").json("{\"response\":\"Y \"}"), 400, "invalid-response"));
        rows.add(row("answer of another job's prompt", post("/api/jobs/{input}/interactions/{iid}").json("{\"response\":\"y\"}"), 404, "not-found"));
        rows.add(row("answer to an unknown prompt", post("/api/jobs/{job}/interactions/999999").json("{\"response\":\"y\"}"), 404, "not-found"));
        rows.add(row("answer to prompt id 0", post("/api/jobs/{job}/interactions/0").json("{\"response\":\"y\"}"), 404, "not-found"));
        rows.add(row("answer to prompt id +1", post("/api/jobs/{job}/interactions/+{iid}").json("{\"response\":\"y\"}"), 404, "not-found"));
        rows.add(row("answer to prompt id x", post("/api/jobs/{job}/interactions/x").json("{\"response\":\"y\"}"), 404, "not-found"));
        rows.add(row("answer for an unknown job", post("/api/jobs/999999/interactions/{iid}").json("{\"response\":\"y\"}"), 404, "not-found"));

        // Answers to the input_line prompt of {input}: none reaches the subprocess's stdin.
        rows.add(row("input answer is a number", post("/api/jobs/{input}/interactions/{inputIid}").json("{\"response\":42}"), 400, "malformed-request"));
        rows.add(row("input answer is a decimal", post("/api/jobs/{input}/interactions/{inputIid}").json("{\"response\":4.2}"), 400, "malformed-request"));
        rows.add(row("input answer is false", post("/api/jobs/{input}/interactions/{inputIid}").json("{\"response\":false}"), 400, "malformed-request"));
        rows.add(row("input answer of two lines", post("/api/jobs/{input}/interactions/{inputIid}").json("{\"response\":\"two\\nlines\"}"), 400, "invalid-response"));
        rows.add(row("input answer with a carriage return", post("/api/jobs/{input}/interactions/{inputIid}").json("{\"response\":\"a\\rb\"}"), 400, "invalid-response"));
        rows.add(row("input answer over 4 KiB", post("/api/jobs/{input}/interactions/{inputIid}").json("{\"response\":\"" + "x".repeat(4097) + "\"}"), 400, "invalid-response"));

        // Ids: ASCII digits as the server writes them, or nothing at all.
        for (String id : List.of("abc", "0", "-1", "+1", "%2B1", "01", "%EF%BC%91", "%D9%A1", "1.0", "0x1", "1e3", "%201",
                "99999999999999999999", "%C3%28", "999999")) {
            rows.add(row("job id " + id, get("/api/jobs/" + id), 404, "not-found"));
        }
        rows.add(row("job id as raw byte 0xFF", raw(bytes("GET /api/jobs/", new byte[] {(byte) 0xff}, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")), 404, "not-found"));
        rows.add(row("log of job +1", get("/api/jobs/+1/log"), 404, "not-found"));
        rows.add(row("events of a full-width job id", get("/api/jobs/%EF%BC%91/events"), 404, "not-found"));
        rows.add(row("cancel job abc", post("/api/jobs/abc/cancel"), 404, "not-found"));
        rows.add(row("prompts of job 01", get("/api/jobs/01/interactions"), 404, "not-found"));
        rows.add(row("download of an unknown job", get("/api/jobs/999999/log.txt"), 404, "not-found"));
        rows.add(row("log size of an unknown job", get("/api/jobs/999999/log/size"), 404, "not-found"));
        rows.add(row("prompt of another job", get("/api/jobs/{input}/interactions/{iid}"), 404, "not-found"));

        // Paths.
        rows.add(row("unknown API route", get("/api/nope"), 404, "not-found"));
        rows.add(row("bare /api", get("/api"), 404, "not-found"));
        rows.add(row("trailing slash", get("/api/jobs/"), 404, "not-found"));
        // Spring Security's firewall refuses paths that a rule and a route could read differently.
        rows.add(row("double slash", get("/api//jobs"), 404, "not-found"));
        rows.add(row("unknown job sub-route", get("/api/jobs/{job}/nope"), 404, "not-found"));
        rows.add(row("unknown page", get("/no/such/page.png"), 404, "not-found"));
        rows.add(row("broken %-escape in the path", get("/api/jobs/%ZZ"), 400, "malformed-request"));
        rows.add(row("broken %-escape in the query", get("/api/jobs?limit=%Z1"), 400, "malformed-request"));
        rows.add(row("space in the request target", raw("GET /api/jobs x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), 400, "malformed-request"));
        rows.add(row("raw UTF-8 in the request target", raw(bytes("GET /api/jobs/", "１".getBytes(StandardCharsets.UTF_8), " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")), 400, "malformed-request"));
        rows.add(row("not HTTP at all", raw("GARBAGE\r\n\r\n"), 400, "malformed-request"));

        // Query values.
        rows.add(row("limit 0", get("/api/jobs?limit=0"), 400, "malformed-request"));
        rows.add(row("limit 101", get("/api/jobs?limit=101"), 400, "malformed-request"));
        rows.add(row("limit abc", get("/api/jobs?limit=abc"), 400, "malformed-request"));
        rows.add(row("limit empty", get("/api/jobs?limit="), 400, "malformed-request"));
        rows.add(row("limit -1", get("/api/jobs?limit=-1"), 400, "malformed-request"));
        rows.add(row("limit +5", get("/api/jobs?limit=%2B5"), 400, "malformed-request"));
        rows.add(row("limit 1.5", get("/api/jobs?limit=1.5"), 400, "malformed-request"));
        rows.add(row("limit full-width 5", get("/api/jobs?limit=%EF%BC%95"), 400, "malformed-request"));
        rows.add(row("limit over a long", get("/api/jobs?limit=99999999999999999999"), 400, "malformed-request"));
        rows.add(row("limit in invalid UTF-8", get("/api/jobs?limit=%FF"), 400, "malformed-request"));
        rows.add(row("before x", get("/api/jobs?before=x"), 400, "malformed-request"));
        rows.add(row("before 0", get("/api/jobs?before=0"), 400, "malformed-request"));
        rows.add(row("events after -1", get("/api/jobs/{job}/events?after=-1"), 400, "malformed-request"));
        rows.add(row("events after x", get("/api/jobs/{job}/events?after=x"), 400, "malformed-request"));
        rows.add(row("events tail x", get("/api/jobs/{job}/events?tail=x"), 400, "malformed-request"));
        rows.add(row("events tail +1", get("/api/jobs/{job}/events?tail=%2B1"), 400, "malformed-request"));
        rows.add(row("events lines bogus", get("/api/jobs/{job}/events?lines=every"), 400, "malformed-request"));
        rows.add(row("Last-Event-ID x", get("/api/jobs/{job}/events").header("Last-Event-ID", "x"), 400, "malformed-request"));
        rows.add(row("Last-Event-ID -5", get("/api/jobs/{job}/events").header("Last-Event-ID", "-5"), 400, "malformed-request"));
        rows.add(row("log from 0", get("/api/jobs/{job}/log?from=0"), 400, "malformed-request"));
        rows.add(row("log from x", get("/api/jobs/{job}/log?from=x"), 400, "malformed-request"));
        rows.add(row("log to 0", get("/api/jobs/{job}/log?to=0"), 400, "malformed-request"));
        rows.add(row("log range backwards", get("/api/jobs/{job}/log?from=5&to=2"), 400, "malformed-request"));
        rows.add(row("log ansi bogus", get("/api/jobs/{job}/log?ansi=bogus"), 400, "malformed-request"));
        rows.add(row("log ansi empty", get("/api/jobs/{job}/log?ansi="), 400, "malformed-request"));
        rows.add(row("download ansi bogus", get("/api/jobs/{job}/log.txt?ansi=bogus"), 400, "malformed-request"));
        // Local mode's admin may read unmasked (SignInTest refuses others); a request a proxy forwarded is nobody.
        rows.add(row("forwarded unmasked log", get("/api/jobs/{job}/log?unmasked=true").header("X-Forwarded-For", "203.0.113.9"),
                401, "unauthorized"));
        rows.add(row("forwarded events", get("/api/jobs/{job}/events").header("Forwarded", "for=203.0.113.9"), 401, "unauthorized"));

        // Accept: what a route cannot answer in is a 406; a header that does not parse is a 400.
        rows.add(row("jobs as XML", get("/api/jobs").header("Accept", "application/xml"), 406, "not-acceptable"));
        rows.add(row("a job as CSV", get("/api/jobs/{job}").header("Accept", "text/csv"), 406, "not-acceptable"));
        rows.add(row("a log range as PNG", get("/api/jobs/{job}/log?from=1&to=2").header("Accept", "image/png"), 406, "not-acceptable"));
        rows.add(row("a job's events as JSON", get("/api/jobs/{job}/events").header("Accept", JSON), 406, "not-acceptable"));
        rows.add(row("all events as JSON", get("/api/events").header("Accept", JSON), 406, "not-acceptable"));
        rows.add(row("status as HTML", get("/api/status").header("Accept", "text/html"), 406, "not-acceptable"));
        rows.add(row("download as JSON", get("/api/jobs/{job}/log.txt").header("Accept", JSON), 406, "not-acceptable"));
        rows.add(row("log size as text", get("/api/jobs/{job}/log/size").header("Accept", "text/plain"), 406, "not-acceptable"));
        rows.add(row("prompts as XML", get("/api/jobs/{job}/interactions").header("Accept", "application/xml"), 406, "not-acceptable"));
        rows.add(row("JSON refused with q=0", get("/api/jobs").header("Accept", "application/json;q=0, */*"), 406, "not-acceptable"));
        rows.add(row("a new job as HTML", post("/api/jobs").header("Accept", "text/html").json("{\"command\":\"quick\"}"), 406, "not-acceptable"));
        rows.add(row("a cancel as XML", post("/api/jobs/{job}/cancel").header("Accept", "application/xml"), 406, "not-acceptable"));
        rows.add(row("Accept with a space", get("/api/jobs").header("Accept", "a b/c"), 400, "malformed-request"));
        rows.add(row("Accept of punctuation", get("/api/jobs").header("Accept", ";;;/"), 400, "malformed-request"));
        rows.add(row("Accept with a bad quality", get("/api/jobs").header("Accept", "application/json;q=abc"), 400, "malformed-request"));
        rows.add(row("Accept of 51 ranges", get("/api/jobs").header("Accept", String.join(", ", Collections.nCopies(51, "text/x-a"))), 400, "malformed-request"));
        rows.add(row("Accept of raw bytes", get("/api/jobs").rawHeader(bytes("Accept: ", new byte[] {(byte) 0xff, (byte) 0xfe}, "")), 400, "malformed-request"));

        // Methods.
        rows.add(row("PUT jobs", request("PUT", "/api/jobs"), 405, "method-not-allowed"));
        rows.add(row("DELETE a job", request("DELETE", "/api/jobs/{job}"), 405, "method-not-allowed"));
        rows.add(row("PATCH a job", request("PATCH", "/api/jobs/{job}").json("{}"), 405, "method-not-allowed"));
        rows.add(row("OPTIONS jobs", request("OPTIONS", "/api/jobs"), 405, "method-not-allowed"));
        rows.add(row("TRACE status", request("TRACE", "/api/status"), 405, "method-not-allowed"));
        rows.add(row("made-up method", request("FROB", "/api/jobs"), 405, "method-not-allowed"));
        rows.add(row("POST status", post("/api/status").json("{}"), 405, "method-not-allowed"));
        rows.add(row("POST a job", post("/api/jobs/{job}").json("{}"), 405, "method-not-allowed"));
        rows.add(row("POST events", post("/api/jobs/{job}/events").json("{}"), 405, "method-not-allowed"));
        rows.add(row("POST log", post("/api/jobs/{job}/log").json("{}"), 405, "method-not-allowed"));
        rows.add(row("POST download", post("/api/jobs/{job}/log.txt").json("{}"), 405, "method-not-allowed"));
        rows.add(row("GET cancel", get("/api/jobs/{job}/cancel"), 405, "method-not-allowed"));
        rows.add(row("DELETE a prompt", request("DELETE", "/api/jobs/{job}/interactions/{iid}"), 405, "method-not-allowed"));
        rows.add(row("cancel a finished job", post("/api/jobs/{done}/cancel"), 409, "job-finished"));

        // Sizes the HTTP layer refuses before any route sees the request.
        rows.add(row("address over 4 KiB", get("/api/jobs?x=" + "a".repeat(5000)), 414, "uri-too-long"));
        rows.add(row("one header over 8 KiB", get("/api/status").header("X-Big", "a".repeat(20_000)), 431, "headers-too-large"));
        rows.add(row("a hundred headers over 8 KiB in all", manyHeaders(get("/api/status"), 100, 100), 431, "headers-too-large"));
        rows.add(row("header line without a colon", get("/api/status").rawHeader("NoColonHere".getBytes(StandardCharsets.US_ASCII)), 400, "malformed-request"));
        rows.add(row("header name with a space", get("/api/status").header("Bad Name", "v"), 400, "malformed-request"));
        rows.add(row("control character in a header", get("/api/status").header("X-A", "a\u0001b"), 400, "malformed-request"));
        return rows;
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestIsItsOwnProblemAndTheServerStaysHealthy() {
        long job = api.start("asker", Map.of()).get("id").asLong();
        long iid = api.awaitPrompt(job).get("id").asLong();
        long input = api.start("input", Map.of()).get("id").asLong();
        long inputIid = api.awaitPrompt(input).get("id").asLong();
        long done = api.start("quick", Map.of()).get("id").asLong();
        api.awaitState(done, "succeeded");
        Map<String, String> names = Map.of("{job}", String.valueOf(job), "{iid}", String.valueOf(iid),
                "{input}", String.valueOf(input), "{inputIid}", String.valueOf(inputIid), "{done}", String.valueOf(done));
        List<Row> rows = catalogue();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(100);

        Stream<DynamicTest> badRequests = rows.stream()
                .map(row -> dynamicTest(row.name(), () -> assertProblem(row, RawHttp.exchange(port, row.request().bytes(names)))));
        Stream<DynamicTest> healthy = Stream.of(
                dynamicTest("afterwards: a normal request still works", () -> api.get("/api/status")),
                dynamicTest("afterwards: only the real answer reached the input prompt", () -> {
                    api.answer(input, inputIid, "fixing the main page").expectStatus().isOk();
                    api.awaitState(input, "succeeded");
                    assertThat(stdinLines(input)).containsExactly("stdin: fixing the main page");
                }),
                dynamicTest("afterwards: only the real answer reached the choices prompt", () -> {
                    api.answer(job, iid, "y").expectStatus().isOk();
                    api.awaitState(job, "succeeded");
                    assertThat(stdinLines(job)).containsExactly("stdin: y");
                }),
                dynamicTest("afterwards: a job can still be started and finishes", () -> {
                    long id = api.start("quick", Map.of()).get("id").asLong();
                    api.awaitState(id, "succeeded");
                }));
        return Stream.concat(badRequests, healthy);
    }

    private List<String> stdinLines(long id) {
        return api.get("/api/jobs/" + id + "/log").get("lines").findValuesAsString("text").stream()
                .filter(text -> text.startsWith("stdin:"))
                .toList();
    }

    private static void assertProblem(Row row, RawHttp.Response response) {
        assertThat(response.status()).as("%s: status; got %s", row.name(), response.text()).isEqualTo(row.status());
        assertThat(response.header("Content-Type")).as(row.name()).isEqualTo("application/problem+json");
        JsonNode problem = Api.parse(response.text());
        assertThat(problem.get("type").asString()).as(row.name()).isEqualTo(Problem.TYPE_BASE + row.type());
        assertThat(problem.get("title").asString()).as(row.name()).isNotBlank();
        assertThat(problem.get("status").asInt()).as(row.name()).isEqualTo(row.status());
        assertThat(problem.get("detail").asString()).as(row.name()).isNotBlank();
    }

    /** One bad request and what it must answer: the status and the problem type's last segment. */
    record Row(String name, RawRequest request, int status, String type) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Row row(String name, RawRequest request, int status, String type) {
        return new Row(name, request, status, type);
    }

    static RawRequest get(String target) {
        return request("GET", target);
    }

    static RawRequest post(String target) {
        return request("POST", target);
    }

    static RawRequest request(String method, String target) {
        return new RawRequest(method, target, List.of(), null, RawRequest.Framing.LENGTH, null);
    }

    static RawRequest raw(String bytes) {
        return raw(bytes.getBytes(StandardCharsets.US_ASCII));
    }

    static RawRequest raw(byte[] bytes) {
        return new RawRequest(null, null, List.of(), null, RawRequest.Framing.LENGTH, bytes);
    }

    static RawRequest manyHeaders(RawRequest request, int count, int size) {
        RawRequest with = request;
        for (int i = 0; i < count; i++) {
            with = with.header("X-Header-" + i, "v".repeat(size));
        }
        return with;
    }

    static byte[] bytes(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /**
     * An HTTP/1.1 request as bytes, on a connection of its own ({@code Connection: close}). A body gets a
     * Content-Length, or is chunked, or is sent as given with the row's own framing headers.
     */
    record RawRequest(String method, String target, List<byte[]> headerLines, byte[] body, Framing framing,
                      byte[] whole) {

        /** How the body is framed: by a Content-Length, in 1 KiB chunks, or by the row's own headers. */
        enum Framing { LENGTH, CHUNKED, AS_GIVEN }

        RawRequest header(String name, String value) {
            return rawHeader((name + ": " + value).getBytes(StandardCharsets.UTF_8));
        }

        RawRequest rawHeader(byte[] line) {
            List<byte[]> lines = new ArrayList<>(headerLines);
            lines.add(line);
            return new RawRequest(method, target, lines, body, framing, whole);
        }

        RawRequest json(String json) {
            return json(json.getBytes(StandardCharsets.UTF_8));
        }

        RawRequest json(byte[] json) {
            return header("Content-Type", JSON).body(json);
        }

        RawRequest body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        RawRequest body(byte[] bytes) {
            return new RawRequest(method, target, headerLines, bytes, framing, whole);
        }

        /** A body sent as is: its framing headers are the row's own. */
        RawRequest rawBody(String text) {
            return new RawRequest(method, target, headerLines, text.getBytes(StandardCharsets.US_ASCII), Framing.AS_GIVEN, whole);
        }

        RawRequest chunked() {
            return new RawRequest(method, target, headerLines, body, Framing.CHUNKED, whole);
        }

        byte[] bytes(Map<String, String> names) {
            if (whole != null) {
                return whole;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes((method + " " + substitute(target, names) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (byte[] line : headerLines) {
                out.writeBytes(line);
                out.writeBytes(new byte[] {'\r', '\n'});
            }
            byte[] content = body == null ? null : substitute(new String(body, StandardCharsets.ISO_8859_1), names)
                    .getBytes(StandardCharsets.ISO_8859_1);
            if (content == null || framing == Framing.AS_GIVEN) {
                out.writeBytes(content == null ? "\r\n".getBytes(StandardCharsets.US_ASCII) : bytesOf("\r\n", content));
                return out.toByteArray();
            }
            if (framing == Framing.LENGTH) {
                out.writeBytes(("Content-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(content);
                return out.toByteArray();
            }
            out.writeBytes("Transfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int start = 0; start < content.length; start += 1024) {
                int size = Math.min(1024, content.length - start);
                out.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(content, start, size);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        }

        private static byte[] bytesOf(String head, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(content);
            return out.toByteArray();
        }

        private static String substitute(String text, Map<String, String> names) {
            String result = text;
            for (Map.Entry<String, String> name : names.entrySet()) {
                result = result.replace(name.getKey(), name.getValue());
            }
            return result;
        }
    }
}
