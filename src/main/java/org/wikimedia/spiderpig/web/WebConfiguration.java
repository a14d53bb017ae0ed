package org.wikimedia.spiderpig.web;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.gerrit.CachedChangeDetails;
import org.wikimedia.spiderpig.gerrit.ChangeDetailsSource;
import org.wikimedia.spiderpig.interaction.InteractionService;
import org.wikimedia.spiderpig.job.JobChanges;
import org.wikimedia.spiderpig.job.JobService;
import org.wikimedia.spiderpig.masking.EventMasker;
import org.wikimedia.spiderpig.masking.MaskedEventJson;
import org.wikimedia.spiderpig.model.json.EventJson;
import org.wikimedia.spiderpig.store.JobStore;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

    @Bean
    ApiRoutes apiRoutes(JobService jobService, InteractionService interactions, JobStore jobs, JobEventLogs logs,
                        JobChanges changes, EventMasker masker, EventJson eventJson, JsonMapper json,
                        ChangeDetailsSource gerrit, Clock clock, SpiderPigProperties properties) {
        return new ApiRoutes(
                new JobHandler(jobService, properties.getGerrit()),
                new InteractionHandler(interactions),
                new EventStreamHandler(jobs, logs, changes, masker, new SseMessages(new MaskedEventJson(masker, eventJson), 8192), json,
                        properties.getStreams().getHeartbeat()),
                new LogHandler(jobs, logs, masker, eventJson),
                new GerritHandler(new CachedChangeDetails(gerrit, properties.getGerrit().getCacheFor(), clock)),
                new SpaHandler());
    }

    @Bean
    RouterFunction<ServerResponse> spiderPigRoutes(ApiRoutes routes) {
        return routes.routerFunction();
    }

    @Bean
    NextTaskDispatch nextTaskDispatch() {
        return new NextTaskDispatch();
    }

    /** Every error, ours or the framework's, in one problem format. */
    @Bean
    ProblemHandler problemHandler(JsonMapper json) {
        return new ProblemHandler(json);
    }
}
