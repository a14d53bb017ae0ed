package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import reactor.core.scheduler.Schedulers;

/** The client registration as discovered from a real provider's discovery document. */
class OidcClientTest {

    static final MockOpenIdProvider PROVIDER = new MockOpenIdProvider();

    @AfterAll
    static void stopProvider() {
        PROVIDER.stop();
    }

    private static ClientRegistration discovered(String redirectUri) {
        SpiderPigProperties.Oidc settings = new SpiderPigProperties.Oidc();
        settings.setIssuer(PROVIDER.issuer());
        settings.setClientId(MockOpenIdProvider.CLIENT_ID);
        settings.setClientSecret(MockOpenIdProvider.CLIENT_SECRET);
        settings.setRedirectUri(redirectUri);
        return new OidcClient(settings, Schedulers.boundedElastic())
                .findByRegistrationId(OidcClient.REGISTRATION_ID).block(Duration.ofSeconds(60));
    }

    @Test
    void theProvidersAddressesComeFromItsDiscoveryDocument() {
        ClientRegistration registration = discovered(null);
        assertThat(registration.getProviderDetails().getIssuerUri()).isEqualTo(PROVIDER.issuer());
        assertThat(registration.getProviderDetails().getTokenUri()).startsWith(PROVIDER.issuer());
        assertThat(registration.getRedirectUri()).isEqualTo("{baseUrl}/login/oauth2/code/oidc");
        assertThat(registration.getScopes()).containsExactlyInAnyOrder("openid", "profile", "email");
    }

    @Test
    void behindAProxyTheConfiguredRedirectUriIsUsed() {
        assertThat(discovered("https://spiderpig.example/login/oauth2/code/oidc").getRedirectUri())
                .isEqualTo("https://spiderpig.example/login/oauth2/code/oidc");
    }
}
