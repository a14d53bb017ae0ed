package org.wikimedia.spiderpig.web;

import io.swagger.v3.oas.models.OpenAPI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.gerrit.CachedChangeDetails;
import org.wikimedia.spiderpig.gerrit.ChangeDetailsSource;
import org.wikimedia.spiderpig.interaction.InteractionService;
import org.wikimedia.spiderpig.job.JobChanges;
import org.wikimedia.spiderpig.job.JobService;
import org.wikimedia.spiderpig.maintenance.BackupService;
import org.wikimedia.spiderpig.maintenance.RetentionService;
import org.wikimedia.spiderpig.masking.EventMasker;
import org.wikimedia.spiderpig.masking.MaskedEventJson;
import org.wikimedia.spiderpig.metrics.StreamMetrics;
import org.wikimedia.spiderpig.model.json.EventJson;
import org.wikimedia.spiderpig.security.ApiTokens;
import org.wikimedia.spiderpig.security.AuditTrail;
import org.wikimedia.spiderpig.security.OidcClient;
import org.wikimedia.spiderpig.security.SecurityMode;
import org.wikimedia.spiderpig.security.Sessions;
import org.wikimedia.spiderpig.security.SecondFactors;
import org.wikimedia.spiderpig.security.SignIn;
import org.wikimedia.spiderpig.security.AllowedNetworks;
import org.wikimedia.spiderpig.store.JobStore;
import org.wikimedia.spiderpig.train.TrainStatusService;
import reactor.netty.NettyPipeline;
import reactor.netty.http.HttpResources;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

    @Bean
    ApiRoutes apiRoutes(JobService jobService, InteractionService interactions, JobStore jobs, JobEventLogs logs,
                        JobChanges changes, EventMasker masker, EventJson eventJson, JsonMapper json,
                        ChangeDetailsSource gerrit, Clock clock, SpiderPigProperties properties,
                        RetentionService retention, BackupService backups,
                        StreamMetrics streamMetrics, StreamsAtShutdown shutdown,
                        SecurityMode mode, SignIn signIn, Sessions sessions, ApiTokens tokens, AuditTrail audit,
                        TrainStatusService train, SecondFactors secondFactors) {
        List<SessionHandler.SignInMethod> methods = new ArrayList<>();
        if (!mode.localMode() && properties.getSecurity().getAccountsFile() != null) {
            methods.add(new SessionHandler.SignInMethod("password", "user name and password", "/api/session"));
        }
        if (!mode.localMode() && properties.getSecurity().getOidc().isConfigured()) {
            methods.add(new SessionHandler.SignInMethod("oidc", properties.getSecurity().getOidc().getProviderName(),
                    OidcClient.START_PATH));
        }
        return new ApiRoutes(
                new JobHandler(jobService, properties.getGerrit(), audit),
                new InteractionHandler(interactions, audit),
                new EventStreamHandler(jobs, logs, changes, masker, new SseMessages(new MaskedEventJson(masker, eventJson), 8192,
                        properties.getStreams().getMessageCacheBytes().toBytes()), json,
                        properties.getStreams().getHeartbeat(), streamMetrics, shutdown, eventJson, new LogAccess(mode, audit),
                        new FanOutPace(properties.getStreams().getFanOutWrites(), properties.getStreams().getFanOutMaxInterval())),
                new LogHandler(jobs, logs, masker, eventJson, new LogAccess(mode, audit)),
                new GerritHandler(new CachedChangeDetails(gerrit, properties.getGerrit().getCacheFor(), clock)),
                new TrainHandler(train),
                new SpaHandler(),
                new AdminHandler(retention, backups, properties.getRetention().isEnabled(),
                        properties.getRetention().getInterval().toString()),
                new ApiRoutes.SignInRoutes(new SessionHandler(mode, signIn, sessions, secondFactors, audit, methods), new TokenHandler(tokens, audit),
                        new AuditHandler(audit)));
    }

    /** /v3/api-docs; docs/openapi.json is a copy, checked by a test. */
    @Bean
    OpenAPI openApi() {
        return ApiDocumentation.base();
    }

    @Bean
    ApiDocumentation apiDocumentation(ApiRoutes routes) {
        return new ApiDocumentation(routes);
    }

    @Bean
    StreamsAtShutdown streamsAtShutdown() {
        return new StreamsAtShutdown();
    }

    @Bean
    RouterFunction<ServerResponse> spiderPigRoutes(ApiRoutes routes) {
        return routes.routerFunction();
    }

    @Bean
    ManagementAccessFilter managementAccessFilter(SpiderPigProperties properties,
                                                  @Value("${management.endpoints.web.base-path:/actuator}") String basePath) {
        return new ManagementAccessFilter(basePath, AllowedNetworks.of(properties.getManagement().getAllowedNetworks()));
    }

    @Bean
    NextTaskDispatch nextTaskDispatch() {
        return new NextTaskDispatch();
    }

    /** One line per request, client addresses anonymized (spiderpig.security.access-log). */
    @Bean
    NettyServerCustomizer accessLog(SpiderPigProperties properties) {
        var settings = properties.getSecurity().getAccessLog();
        return server -> server.accessLog(settings.isEnabled(), new AccessLogLines(settings.isAnonymizeAddresses()));
    }

    @Bean(destroyMethod = "dispose")
    AcceptThread acceptThread() {
        return new AcceptThread();
    }

    /**
     * Reactor Netty's shared event loops and connection pool, as Spring Boot would give them (the web server
     * runs on this factory's loops), with new connections accepted on a thread of their own. Both stay global:
     * this factory disposes of neither, {@link AcceptThread} of its thread only.
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory(AcceptThread acceptThread) {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        factory.setLoopResources(acceptThread.around(HttpResources.get()));
        factory.setConnectionProvider(HttpResources.get());
        return factory;
    }

    /** Every error, ours or the framework's, in one problem format. */
    @Bean
    ProblemHandler problemHandler(JsonMapper json) {
        return new ProblemHandler(json, NotFoundPage.ofBuild());
    }

    /** ... including those the HTTP layer answers before a request reaches a route. */
    @Bean
    NettyServerCustomizer bareErrorResponses(ProblemHandler problems,
                                             @Value("${server.netty.max-initial-line-length:4KB}") DataSize maxRequestLine,
                                             @Value("${server.max-http-request-header-size:8KB}") DataSize maxHeaders) {
        IntFunction<byte[]> bodies = status -> problems.body(
                ProblemHandler.bareError(status, maxRequestLine.toBytes(), maxHeaders.toBytes()), null);
        return server -> server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, BareErrorResponses.NAME, new BareErrorResponses(bodies));
            }
        });
    }
}
