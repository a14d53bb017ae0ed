package org.wikimedia.spiderpig.web;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * SpiderPig calls nothing on its users' behalf, so the provider's access and refresh tokens are dropped at once
 * (Spring's default would keep every user's in memory for ever).
 */
final class NoProviderTokens implements ServerOAuth2AuthorizedClientRepository {

    @Override
    public <T extends OAuth2AuthorizedClient> Mono<T> loadAuthorizedClient(String registrationId, Authentication principal,
                                                                           ServerWebExchange exchange) {
        return Mono.empty();
    }

    @Override
    public Mono<Void> saveAuthorizedClient(OAuth2AuthorizedClient client, Authentication principal, ServerWebExchange exchange) {
        return Mono.empty();
    }

    @Override
    public Mono<Void> removeAuthorizedClient(String registrationId, Authentication principal, ServerWebExchange exchange) {
        return Mono.empty();
    }
}
