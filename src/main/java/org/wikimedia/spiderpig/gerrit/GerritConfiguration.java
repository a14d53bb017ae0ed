package org.wikimedia.spiderpig.gerrit;

import io.netty.channel.ChannelOption;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.train.TrainBlockersSource;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gerrit when {@code spiderpig.gerrit.url} is set, else the simulated one (and the same for the train-blockers API). Jobs ask the source itself (a job
 * records Gerrit's answer of the moment); the start form's preview wraps it in a {@link CachedChangeDetails}.
 */
@Configuration(proxyBeanMethods = false)
public class GerritConfiguration {

    @Bean
    ChangeDetailsSource changeDetailsSource(SpiderPigProperties properties, JsonMapper json) {
        SpiderPigProperties.Gerrit gerrit = properties.getGerrit();
        if (gerrit.getUrl() == null || gerrit.getUrl().isBlank()) {
            return new SimulatedGerrit(gerrit.getWebUrl());
        }
        return new GerritClient(webClient(gerrit.getTimeout()), gerrit.getUrl(), gerrit.getTimeout(), json);
    }

    /** The train-blockers API when {@code spiderpig.train.blockers-url} is set, else the simulated one. */
    @Bean
    TrainBlockersSource trainBlockersSource(SpiderPigProperties properties, JsonMapper json, Clock clock) {
        SpiderPigProperties.Train train = properties.getTrain();
        String phabricator = properties.getGerrit().getPhabricatorUrl();
        if (train.getBlockersUrl() == null || train.getBlockersUrl().isBlank()) {
            return new SimulatedTrainBlockers(phabricator, clock);
        }
        return new TrainBlockersClient(webClient(train.getTimeout()), train.getBlockersUrl(), train.getTimeout(), json,
                phabricator);
    }

    /** Reactor Netty underneath, so that waiting for Gerrit holds no thread; connecting is bounded too. */
    static WebClient.Builder webClient(Duration timeout) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()))
                .responseTimeout(timeout);
        // answers larger than the codecs' default limit (256 KiB) fail, which is what a change is far from
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http));
    }
}
