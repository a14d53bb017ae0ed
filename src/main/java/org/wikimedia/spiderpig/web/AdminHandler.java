package org.wikimedia.spiderpig.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.wikimedia.spiderpig.maintenance.BackupService;
import org.wikimedia.spiderpig.maintenance.RetentionService;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.security.CurrentUser;
import org.wikimedia.spiderpig.security.Role;
import reactor.core.publisher.Mono;

/** Administration: retention (its settings and totals, a dry run, a run now) and backups. Admins only. */
class AdminHandler {

    private final RetentionService retention;
    private final BackupService backups;
    private final boolean retentionScheduled;
    private final String retentionInterval;

    AdminHandler(RetentionService retention, BackupService backups, boolean retentionScheduled,
                 String retentionInterval) {
        this.retention = retention;
        this.backups = backups;
        this.retentionScheduled = retentionScheduled;
        this.retentionInterval = retentionInterval;
    }

    Mono<ServerResponse> retentionStatus(ServerRequest request) {
        requireAdmin(request);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("scheduled", retentionScheduled);
        settings.put("interval", retentionInterval);
        settings.put("maxAge", retention.settings().maxAge().toString());
        settings.put("keepNewest", retention.settings().keepNewest());
        settings.put("maxLogBytes", retention.settings().maxLogBytes());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("settings", settings);
        body.put("counters", retention.counters());
        body.put("lastRun", retention.lastRun().orElse(null));
        return ServerResponse.ok().bodyValue(body);
    }

    Mono<ServerResponse> runRetention(ServerRequest request) {
        requireAdmin(request);
        boolean dryRun = request.queryParam("dryRun").map(AdminHandler::flag).orElse(false);
        return (dryRun ? retention.dryRun() : retention.run())
                .flatMap(report -> ServerResponse.ok().bodyValue(report));
    }

    Mono<ServerResponse> backup(ServerRequest request) {
        requireAdmin(request);
        return backups.backup().flatMap(report -> ServerResponse.status(HttpStatus.CREATED).bodyValue(report));
    }

    private static boolean flag(String raw) {
        return switch (raw) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw Problem.malformed("Query parameter 'dryRun' must be true or false, not \"" + raw + "\".");
        };
    }

    private static void requireAdmin(ServerRequest request) {
        if (!CurrentUser.of(request.attributes()).has(Role.ADMIN)) {
            throw new Problem(403, "forbidden", "Forbidden", "Only administrators may do this.");
        }
    }
}
