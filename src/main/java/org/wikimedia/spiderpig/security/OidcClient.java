package org.wikimedia.spiderpig.security;

import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * This server as a client of its OpenID provider. The provider's addresses and keys come from its discovery
 * document, fetched at the first sign-in rather than at start, so that a provider that is down delays sign-in
 * but not the server (and a failed fetch is tried again at the next sign-in).
 */
public class OidcClient implements ReactiveClientRegistrationRepository {

    public static final String REGISTRATION_ID = "oidc";
    /** Where a browser starts signing in (Spring Security's address for the registration). */
    public static final String START_PATH = "/oauth2/authorization/" + REGISTRATION_ID;
    /** The redirect URI to register with the provider, after this server's base URL. */
    public static final String CALLBACK_PATH = "/login/oauth2/code/" + REGISTRATION_ID;

    private static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);

    private final SpiderPigProperties.Oidc settings;
    private final Mono<ClientRegistration> registration;

    public OidcClient(SpiderPigProperties.Oidc settings, Scheduler discovery) {
        this.settings = settings;
        this.registration = Mono.fromCallable(this::discover)
                .subscribeOn(discovery)
                .cache(found -> FOREVER, failed -> Duration.ZERO, () -> Duration.ZERO);
    }

    /** Blocking: the provider's discovery document over HTTP. */
    private ClientRegistration discover() {
        return ClientRegistrations.fromIssuerLocation(settings.getIssuer())
                .registrationId(REGISTRATION_ID)
                .clientName(settings.getProviderName())
                .clientId(settings.getClientId())
                .clientSecret(settings.getClientSecret())
                .scope(settings.getScopes())
                .redirectUri(settings.getRedirectUri() == null || settings.getRedirectUri().isBlank()
                        ? "{baseUrl}" + CALLBACK_PATH : settings.getRedirectUri())
                // Every ID token has a subject; OidcSignIn reads the configured name claim itself and says when it is missing.
                .userNameAttributeName("sub")
                .build();
    }

    @Override
    public Mono<ClientRegistration> findByRegistrationId(String registrationId) {
        return REGISTRATION_ID.equals(registrationId) ? registration : Mono.empty();
    }

    /** Asks the provider for a second factor (acr_values) when the server requires one. */
    public Consumer<OAuth2AuthorizationRequest.Builder> authorizationRequestCustomizer() {
        return builder -> {
            if (settings.isRequireMfa() && !settings.getMfaAcrValues().isEmpty()) {
                builder.additionalParameters(parameters ->
                        parameters.put("acr_values", String.join(" ", settings.getMfaAcrValues())));
            }
        };
    }
}
