package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.security.MockOpenIdProvider.Browser;
import org.wikimedia.spiderpig.store.AuditStore.AuditEntry;
import org.wikimedia.spiderpig.store.AuditStore.AuditQuery;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;

/** spiderpig.security.oidc.require-mfa: asked for with acr_values, checked in the acr and amr claims. */
@ServerTest
class OidcSecondFactorTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-oidc-mfa");
    static final MockOpenIdProvider PROVIDER = new MockOpenIdProvider();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PROVIDER.register(registry, DATA);
        registry.add("spiderpig.security.oidc.require-mfa", () -> "true");
        registry.add("spiderpig.security.oidc.mfa-acr-values", () -> "mfa-webauthn,mfa-gauth");
    }

    @AfterAll
    static void stopProvider() {
        PROVIDER.stop();
    }

    @Autowired
    AuditTrail audit;

    @Test
    void theServerAsksTheProviderForASecondFactor() {
        PROVIDER.nextUser("frank", Map.of("groups", List.of("deployers"), "acr", "mfa-gauth"));
        new Browser().signIn(port, true);
        assertThat(PROVIDER.nextAuthorizationQuery()).contains("acr_values=mfa-webauthn mfa-gauth");
    }

    @Test
    void aSignInWithoutASecondFactorIsRefusedAndAudited() {
        PROVIDER.nextUser("gina", Map.of("groups", List.of("deployers"), "amr", List.of("pwd")));
        Browser browser = new Browser();

        HttpResponse<String> end = browser.signIn(port, true);

        assertThat(end.statusCode()).isEqualTo(403);
        assertThat(end.body()).contains("Second factor required", "gina signed in without a second factor");
        assertThat(browser.cookie("spiderpig_session")).isEmpty();
        assertThat(audit.find(new AuditQuery("gina", "sign-in-refused", null, null, 10)).block())
                .extracting(AuditEntry::detail).containsExactly("second-factor-required");
    }

    @Test
    void aSecondFactorInTheAmrClaimIsAccepted() {
        PROVIDER.nextUser("hugo", Map.of("groups", List.of("deployers"), "amr", List.of("pwd", "otp")));
        Browser browser = new Browser();

        assertThat(browser.signIn(port, true).uri().getPath()).isEqualTo("/");
        assertThat(browser.cookie("spiderpig_session")).isPresent();
    }

    @Test
    void anAcrTheServerAskedForIsAccepted() {
        PROVIDER.nextUser("iris", Map.of("groups", List.of("admins"), "acr", "mfa-webauthn"));
        Browser browser = new Browser();

        assertThat(browser.signIn(port, true).uri().getPath()).isEqualTo("/");
        assertThat(audit.find(new AuditQuery("iris", "signed-in", null, null, 10)).block()).hasSize(1);
    }
}
