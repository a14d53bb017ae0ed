package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.config.SpiderPigProperties;

class ServerExposureTest {

    private static SpiderPigProperties.Security settings(Boolean localMode, boolean accounts) {
        SpiderPigProperties.Security settings = new SpiderPigProperties.Security();
        settings.setLocalMode(localMode);
        settings.setAccountsFile(accounts ? Path.of("/etc/spiderpig/accounts") : null);
        return settings;
    }

    @Test
    void loopbackWithoutSignInIsLocalMode() {
        assertThat(ServerExposure.localMode("127.0.0.1", settings(null, false))).isTrue();
        assertThat(ServerExposure.localMode("::1", settings(null, false))).isTrue();
    }

    @Test
    void anyOtherAddressWithoutSignInRefusesToStartAndSaysWhatToAdd() {
        assertThatThrownBy(() -> ServerExposure.localMode("0.0.0.0", settings(null, false)))
                .hasMessageContaining("spiderpig.security.accounts-file").hasMessageContaining("user add");
        assertThatThrownBy(() -> ServerExposure.localMode(null, settings(null, false)))
                .hasMessageContaining("every network interface");
    }

    @Test
    void singleSignOnAloneIsASignInConfiguration() {
        SpiderPigProperties.Security oidc = settings(null, false);
        oidc.getOidc().setIssuer("https://idp.example/realms/deploy");
        assertThat(ServerExposure.localMode("0.0.0.0", oidc)).isFalse();
        assertThat(ServerExposure.localMode("127.0.0.1", oidc)).isFalse();
        assertThatThrownBy(() -> ServerExposure.localMode("0.0.0.0", settings(null, false)))
                .hasMessageContaining("spiderpig.security.oidc.issuer");
    }

    @Test
    void localModeOffOnLoopbackNeedsSignInToo() {
        assertThatThrownBy(() -> ServerExposure.localMode("127.0.0.1", settings(false, false)))
                .hasMessageContaining("local-mode=false");
        assertThat(ServerExposure.localMode("127.0.0.1", settings(false, true))).isFalse();
    }

    @Test
    void configuredSignInTurnsLocalModeOffAndLocalModeNeverLeavesLoopback() {
        assertThat(ServerExposure.localMode("127.0.0.1", settings(null, true))).isFalse();
        assertThat(ServerExposure.localMode("10.0.0.5", settings(null, true))).isFalse();
        assertThatThrownBy(() -> ServerExposure.localMode("10.0.0.5", settings(true, false)))
                .hasMessageContaining("loopback");
    }
}
