package org.wikimedia.spiderpig.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.servers.Server;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * The OpenAPI description of every route, generated from {@link ApiRoutes}' table (functional routes
 * carry no annotations for springdoc to read). Each endpoint's words are here; a route without them
 * fails the start, so the description cannot fall behind the table. docs/openapi.json is its output.
 */
class ApiDocumentation implements OpenApiCustomizer {

    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{(\\w+)}");
    private static final String JSON = "application/json";
    private static final String PROBLEM = "application/problem+json";
    private static final String EVENTS = "text/event-stream";

    private final ApiRoutes routes;

    ApiDocumentation(ApiRoutes routes) {
        this.routes = routes;
        for (Endpoint endpoint : routes.endpoints()) {
            if (!DOCS.containsKey(key(endpoint))) {
                throw new IllegalStateException("ApiDocumentation does not describe " + key(endpoint) + ": add it to DOCS");
            }
        }
    }

    /** Springdoc's own description of the API, before the routes are added: title, and paths relative to the server. */
    static OpenAPI base() {
        return new OpenAPI()
                .info(new Info().title("SpiderPig API").version("1")
                        .description("Jobs, their live output and prompts. Errors, event payloads and masking are"
                                + " described in docs/api.md."))
                .servers(List.of(new Server().url("/")));
    }

    private static String key(Endpoint endpoint) {
        return endpoint.method().name() + " " + endpoint.pattern();
    }

    @Override
    public void customise(OpenAPI api) {
        Paths paths = new Paths();
        for (Endpoint endpoint : routes.endpoints()) {
            Doc doc = DOCS.get(key(endpoint));
            PathItem item = paths.computeIfAbsent(endpoint.pattern(), pattern -> new PathItem());
            item.operation(PathItem.HttpMethod.valueOf(endpoint.method().name()), operation(endpoint, doc));
        }
        api.setPaths(paths);
        api.getComponents().addSchemas("Problem", new Schema<>().type("object")
                .description("An RFC 9457 problem; docs/api.md lists every type")
                .addProperty("type", new Schema<>().type("string").format("uri"))
                .addProperty("title", new Schema<>().type("string"))
                .addProperty("status", new Schema<>().type("integer"))
                .addProperty("detail", new Schema<>().type("string"))
                .addProperty("instance", new Schema<>().type("string")));
        SCHEMAS.forEach((name, description) -> api.getComponents().addSchemas(name,
                new Schema<>().type("object").description(description)));
    }

    private static Operation operation(Endpoint endpoint, Doc doc) {
        Operation operation = new Operation().summary(doc.summary()).description(doc.description())
                .addTagsItem(doc.tag())
                .operationId(operationId(endpoint));
        Matcher variables = PATH_VARIABLE.matcher(endpoint.pattern());
        while (variables.find()) {
            operation.addParametersItem(new Parameter().in("path").name(variables.group(1)).required(true)
                    .schema(new Schema<>().type("integer").format("int64")));
        }
        doc.query().forEach((name, description) -> operation.addParametersItem(new Parameter().in("query").name(name)
                .description(description).schema(new Schema<>().type(QUERY_TYPES.getOrDefault(name, "integer")))));
        if (doc.body() != null) {
            operation.requestBody(new RequestBody().required(true).content(new Content()
                    .addMediaType(JSON, new MediaType().schema(ref(doc.body())))));
        }
        ApiResponses responses = new ApiResponses();
        ApiResponse answer = new ApiResponse().description(doc.answer());
        if (!doc.status().equals("204")) {
            answer.content(new Content().addMediaType(doc.mediaType(), doc.mediaType().equals(JSON)
                    ? new MediaType().schema(ref(doc.schema())) : new MediaType()));
        }
        responses.addApiResponse(doc.status(), answer);
        responses.addApiResponse("default", new ApiResponse().description("A problem (see docs/api.md#errors)")
                .content(new Content().addMediaType(PROBLEM, new MediaType().schema(ref("Problem")))));
        return operation.responses(responses);
    }

    private static String operationId(Endpoint endpoint) {
        List<String> words = new ArrayList<>();
        words.add(endpoint.method().name().toLowerCase());
        for (String segment : endpoint.pattern().substring("/api/".length()).split("[/.]")) {
            words.add(segment.replaceAll("[{}]", "").replace("iid", "interactionId"));
        }
        StringBuilder id = new StringBuilder(words.get(0));
        words.subList(1, words.size()).forEach(word ->
                id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1)));
        return id.toString();
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

    private record Doc(String tag, String summary, String description, Map<String, String> query, String body,
                       String status, String mediaType, String schema, String answer) {
    }

    private static Doc json(String tag, String summary, String description, Map<String, String> query, String body,
                            String status, String schema, String answer) {
        return new Doc(tag, summary, description, query, body, status, JSON, schema, answer);
    }

    private static final Map<String, String> QUERY_TYPES = Map.of("ansi", "string", "unmasked", "boolean", "dryRun", "boolean",
            "user", "string", "action", "string");
    private static final Map<String, String> SCHEMAS = new LinkedHashMap<>();
    private static final Map<String, Doc> DOCS = new LinkedHashMap<>();

    static {
        SCHEMAS.put("Job", "A job: id, command, parameters, description, owner, state, status, progress, times,"
                + " exitCode, cancelledBy, reason, pendingInteraction, lastSeq, lineCount (docs/api.md#jobs)");
        SCHEMAS.put("NewJob", "{\"command\": a job type such as \"backport\", \"parameters\": {\"changeIds\": [...]}}");
        SCHEMAS.put("JobPage", "{\"jobs\": [Job, newest first], \"next\": the next page's address or null}");
        SCHEMAS.put("ServerStatus", "{\"user\": {\"name\", \"roles\"}, \"active\": [Job], \"queued\": [Job, oldest first]}");
        SCHEMAS.put("Interaction", "A prompt: id, jobId, kind (choices or input_line), prompt, choices, default,"
                + " openedAt, response, answeredBy, answeredAt, closedReason, closedAt");
        SCHEMAS.put("InteractionList", "{\"interactions\": [Interaction, oldest first]}");
        SCHEMAS.put("Answer", "{\"response\": one of the prompt's keys, or one line for an input_line prompt}");
        SCHEMAS.put("LogRange", "{\"from\", \"to\", \"size\", \"lines\": [{\"line\", \"ts\", \"stream\", \"text\", \"sensitive\"}]}");
        SCHEMAS.put("LogSize", "{\"lines\": N}");
        SCHEMAS.put("StepList", "{\"steps\": [{\"seq\", \"status\", \"startedAt\", \"firstLine\", \"endedAt\", \"lastLine\","
                + " \"failedTasks\"}, oldest first], \"lastSeq\", \"lineCount\"}");
        SCHEMAS.put("Signal", "{\"signal\": \"interrupt\" (SIGINT) or \"kill\" (SIGKILL)}");
        SCHEMAS.put("ChangeDetails", "A Gerrit change: number, project, branch, subject, status, commitMessage, url");
        SCHEMAS.put("TrainStatus", "{\"trainVersion\", \"previousVersion\", \"groups\": [{\"name\", \"wikis\", \"version\","
                + " \"versions\", \"rolled\"}], \"blocker\": {\"version\", \"taskId\", \"status\", \"date\", \"url\"} or null,"
                + " \"warnings\": [{\"source\", \"message\"}]} (docs/api.md#train)");
        SCHEMAS.put("RetentionStatus", "{\"enabled\", \"interval\", \"maxAge\", \"keepNewest\", \"maxLogSize\","
                + " \"counters\", \"lastRun\"} (docs/api.md#administration)");
        SCHEMAS.put("RetentionReport", "What a retention run removed (or, as a dry run, would remove): jobs, log bytes,"
                + " spared jobs (docs/api.md#administration)");
        SCHEMAS.put("Backup", "{\"path\": the backup's directory under the data directory, \"jobs\": N}");
        SCHEMAS.put("Session", "{\"user\": the signed-in user or null, \"roles\": [VIEWER, DEPLOYER, ADMIN], \"localMode\","
                + " \"mayUnmask\": whether the caller may ask for unmasked output (?unmasked=true),"
                + " \"secondFactor\": verify or enrol (still owed), enrolled or not-enrolled (signed in), or null,"
                + " \"signInMethods\": [{\"type\": password or oidc, \"name\", \"start\": where to sign in}]}");
        SCHEMAS.put("SignIn", "{\"user\", \"password\", \"code\": the second factor's 6 digits, or later on its own}");
        SCHEMAS.put("Code", "{\"code\": the 6 digits the authenticator app shows}");
        SCHEMAS.put("Enrolment", "{\"secret\": base32, \"uri\": otpauth://totp/..., \"qrCodeSvg\": the URI as an SVG QR code}");
        SCHEMAS.put("SignedOut", "{\"signedOut\": how many sessions ended}");
        SCHEMAS.put("NewToken", "{\"name\", \"role\": viewer, deployer or admin (default: yours), \"days\": lifetime}");
        SCHEMAS.put("Token", "{\"id\", \"name\", \"owner\", \"role\", \"createdAt\", \"expiresAt\", \"lastUsedAt\"}; when just"
                + " made, also \"token\", the secret, shown this once");
        SCHEMAS.put("TokenList", "{\"tokens\": [Token without the secret]}");
        SCHEMAS.put("AuditPage", "{\"entries\": [{\"id\", \"at\", \"user\", \"action\", \"address\", \"jobId\", \"detail\"},"
                + " newest first], \"next\": the next page's address or null}");

        String jobs = "jobs";
        String streams = "streams";
        String logs = "logs";
        String prompts = "prompts";
        String admin = "administration";
        String gerrit = "gerrit";
        Map<String, String> none = Map.of();
        DOCS.put("GET /api/status", json(jobs, "Who is asking, and the jobs running and queued", null, none, null,
                "200", "ServerStatus", "The user and the server's activity"));
        DOCS.put("GET /api/events", new Doc(streams, "Every job's changes, live",
                "Server-Sent Events job-created, job-updated, interaction, interaction-answered, job-finished;"
                        + " no history (docs/api.md#all-jobs-changes)", none, null, "200", EVENTS, null, "An endless event stream"));
        DOCS.put("GET /api/jobs", json(jobs, "Jobs, newest first, a page at a time", null,
                ordered("limit", "1-100, default 20", "before", "only jobs with a smaller id (the next page)"),
                null, "200", "JobPage", "A page of jobs; a Link header names the next page"));
        DOCS.put("POST /api/jobs", json(jobs, "Start a job", "The job is queued and starts when its concurrency"
                + " group is free", none, "NewJob", "201", "Job", "The job; Location names it"));
        DOCS.put("GET /api/jobs/{id}", json(jobs, "One job", null, none, null, "200", "Job", "The job"));
        DOCS.put("POST /api/jobs/{id}/cancel", json(jobs, "Cancel a job", "A queued job is cancelled at once;"
                + " a running one gets SIGINT, then SIGTERM and SIGKILL after the type's grace periods", none, null,
                "202", "Job", "The job, cancelled or being stopped"));
        DOCS.put("GET /api/jobs/{id}/events", new Doc(streams, "One job's events: replayed, then live, then end",
                "Server-Sent Events line, status, progress, interaction, interaction-answered, interaction-closed,"
                        + " cancel-requested, state, end. The Last-Event-ID header, else after, else tail, says where"
                        + " to start (docs/api.md#a-jobs-event-stream)",
                ordered("after", "events after this seq", "tail", "start this many output lines before the end",
                        "lines", "latest: for a view of the log's end, at most 250 lines of each run of lines per"
                                + " 50 ms, the last ones (docs/api.md#the-latest-lines); all (default): every line",
                        "unmasked", "true: unmasked, for the unmasked role only (admin by default); audited"), null, "200", EVENTS, null,
                "The job's event stream, ending after its end event"));
        DOCS.put("GET /api/jobs/{id}/log", json(logs, "A range of a job's output lines", "With Accept: text/plain,"
                + " the lines as text", ordered("from", "first line, 1-based (default 1)", "to",
                "line after the last (default: the end)", "ansi", "strip removes ANSI escapes (text only)",
                "unmasked", "true: unmasked, for the unmasked role only (admin by default); audited"), null, "200", "LogRange", "The lines"));
        DOCS.put("GET /api/jobs/{id}/log/size", json(logs, "How many output lines a job has", null, none, null,
                "200", "LogSize", "The line count"));
        DOCS.put("GET /api/jobs/{id}/steps", json(logs, "A job's steps: each status its command reported, with where it"
                + " starts and ends in the output", null, none, null, "200", "StepList", "The steps, oldest first"));
        DOCS.put("GET /api/jobs/{id}/log.txt", new Doc(logs, "A job's whole output as a download", null,
                ordered("ansi", "strip removes ANSI escapes", "unmasked", "true: unmasked, for the unmasked role only (admin by default); audited"),
                null, "200", "text/plain", null, "The masked log as text"));
        DOCS.put("GET /api/jobs/{id}/interactions", json(prompts, "A job's prompts, oldest first", null, none, null,
                "200", "InteractionList", "The prompts"));
        DOCS.put("GET /api/jobs/{id}/interactions/{iid}", json(prompts, "One prompt", null, none, null, "200",
                "Interaction", "The prompt"));
        DOCS.put("POST /api/jobs/{id}/interactions/{iid}", json(prompts, "Answer a prompt",
                "Exactly one answer wins and reaches the job's process; a later one is a 409 naming the winner",
                none, "Answer", "200", "Interaction", "The answered prompt"));
        DOCS.put("POST /api/jobs/{id}/signal", json(jobs, "Send one signal to a running job's process group",
                "interrupt (SIGINT) or kill (SIGKILL), now, without cancel's escalation; logged with who sent it",
                none, "Signal", "202", "Job", "The job"));
        DOCS.put("POST /api/jobs/{id}/retry", json(jobs, "Run a finished backport again",
                "A new job with the same changes and fresh details from Gerrit; its retryOf names this one", none, null,
                "201", "Job", "The new job; Location names it"));
        DOCS.put("GET /api/gerrit/changes/{change}", json(gerrit, "A change's details, for the start form's preview",
                "{change} is a change number or a URL-encoded change URL; answers are cached briefly", none, null,
                "200", "ChangeDetails", "The change"));
        DOCS.put("GET /api/train/status", json("train", "Where the weekly train is, for the Train page",
                "Each group's version from wikiversions.json in the staging directory, and this week's blocker task;"
                        + " a source that fails is a warning in the answer, never an error", none, null,
                "200", "TrainStatus", "The train's status"));
        DOCS.put("GET /api/admin/retention", json(admin, "Retention's settings, counters and last run (admin)", null,
                none, null, "200", "RetentionStatus", "Retention's state"));
        DOCS.put("POST /api/admin/retention", json(admin, "Run retention now, or list what it would remove (admin)",
                "Never touches a queued, running or waiting job", ordered("dryRun", "true lists without removing"), null,
                "200", "RetentionReport", "What was (or would be) removed"));
        DOCS.put("POST /api/admin/backup", json(admin, "Write a consistent backup of the database and logs (admin)",
                null, none, null, "201", "Backup", "Where the backup was written"));

        String signIn = "sign-in";
        DOCS.put("GET /api/session", json(signIn, "Who is signed in, whether the server runs in local mode, and how to sign in",
                null, none, null, "200", "Session", "The session"));
        DOCS.put("POST /api/session", json(signIn, "Sign in with a local account", "Sets the session cookie; without the code"
                + " for an account that needs one, a session that may only finish signing in (secondFactor says how);"
                + " 401 for a wrong name or password alike, 429 with Retry-After after 5 failures in 10 minutes",
                none, "SignIn", "200", "Session", "The new session"));
        DOCS.put("DELETE /api/session", json(signIn, "Sign out", null, none, null, "204", null, "Signed out"));
        DOCS.put("POST /api/session/second-factor", json(signIn, "Give the second factor's code",
                "After the password: the session becomes a signed-in one (a new cookie). Confirms a begun enrolment;"
                        + " a wrong or used code is a 401 and counts toward the lockout", none, "Code", "200", "Session",
                "The signed-in session"));
        DOCS.put("POST /api/session/second-factor/enrolment", json(signIn, "Begin enrolling a second factor (TOTP)",
                "A new secret, shown this once; confirm it with one code. 409 when one is enrolled already", none, null,
                "200", "Enrolment", "What the authenticator app needs"));
        DOCS.put("DELETE /api/admin/second-factors/{user}", json(admin, "Reset a user's lost second factor (admin)",
                "They enrol a new one at their next sign-in", none, null, "204", null, "Reset"));
        DOCS.put("DELETE /api/sessions", json(signIn, "Sign everyone out (admin)", null, none, null, "200",
                "SignedOut", "How many sessions ended"));
        DOCS.put("GET /api/tokens", json(signIn, "Your live API tokens", null, none, null, "200", "TokenList",
                "The tokens, without their secrets"));
        DOCS.put("POST /api/tokens", json(signIn, "Make an API token for scripts (Authorization: Bearer)",
                "The secret is in this answer only; the server keeps its SHA-256", none, "NewToken", "201", "Token",
                "The token with its secret"));
        DOCS.put("DELETE /api/tokens/{id}", json(signIn, "Revoke an API token", "Your own; an admin may revoke"
                + " anyone's", none, null, "204", null, "Revoked"));
        DOCS.put("GET /api/audit", json(signIn, "The audit trail, newest first (admin)", null,
                ordered("user", "only this user's entries", "action", "only this action (docs/api.md)", "job",
                        "only entries about this job", "limit", "1-100, default 20", "before", "only older entries"),
                null, "200", "AuditPage", "A page of audit entries"));
    }

    private static Map<String, String> ordered(String... namesAndDescriptions) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndDescriptions.length; i += 2) {
            map.put(namesAndDescriptions[i], namesAndDescriptions[i + 1]);
        }
        return map;
    }
}
