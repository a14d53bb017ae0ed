package org.wikimedia.spiderpig.security;

import java.nio.file.Path;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.store.AuditStore;
import org.wikimedia.spiderpig.store.SecondFactorStore;
import org.wikimedia.spiderpig.store.OidcUserStore;
import org.wikimedia.spiderpig.store.SessionStore;
import org.wikimedia.spiderpig.store.ThrottleStore;
import org.wikimedia.spiderpig.store.TokenStore;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /** Refuses to start (with what to configure) when the server would be reachable without sign-in. */
    @Bean
    SecurityMode securityMode(SpiderPigProperties properties, Environment environment) {
        SpiderPigProperties.Security settings = properties.getSecurity();
        boolean local = ServerExposure.localMode(environment.getProperty("server.address"), settings);
        return new SecurityMode(local, SpiderPigUser.withRole(properties.getUsers().getLocalUser(), Role.ADMIN),
                Role.parse(settings.getUnmaskedRole()));
    }

    /** bcrypt takes ~0.1 s of CPU per check on purpose: a few threads, so that guessing cannot starve the server. */
    @Bean(destroyMethod = "dispose")
    Scheduler passwordChecks() {
        return Schedulers.newBoundedElastic(2, 256, "password-checks");
    }

    @Bean
    GroupRoles groupRoles(SpiderPigProperties properties) {
        return new GroupRoles(properties.getSecurity().getGroups());
    }

    @Bean
    Accounts accounts(SpiderPigProperties properties, GroupRoles groupRoles, Scheduler passwordChecks) {
        return new Accounts(properties.getSecurity().getAccountsFile(), groupRoles, passwordChecks);
    }

    @Bean
    UserDirectory userDirectory(Accounts accounts, OidcUserStore oidcUsers, GroupRoles groupRoles) {
        return new UserDirectory(accounts, oidcUsers, groupRoles);
    }

    /** The provider's discovery document is one blocking HTTP request, at the first single sign-on. */
    @Bean(destroyMethod = "dispose")
    Scheduler oidcDiscovery() {
        return Schedulers.newBoundedElastic(1, 64, "oidc-discovery");
    }

    @Bean
    OidcClient oidcClient(SpiderPigProperties properties, Scheduler oidcDiscovery) {
        return new OidcClient(properties.getSecurity().getOidc(), oidcDiscovery);
    }

    @Bean
    OidcSignIn oidcSignIn(SpiderPigProperties properties, GroupRoles groupRoles, OidcUserStore oidcUsers,
                          AuditTrail audit, Clock clock) {
        return new OidcSignIn(properties.getSecurity().getOidc(), groupRoles, oidcUsers, audit, clock);
    }

    @Bean
    AuditTrail auditTrail(AuditStore store, Clock clock) {
        return new AuditTrail(store, clock);
    }

    /** Reads (or makes) the key file at startup, not on a request path. */
    @Bean
    SecondFactors secondFactors(SecondFactorStore store, SpiderPigProperties properties, Clock clock) {
        SpiderPigProperties.SecondFactor settings = properties.getSecurity().getSecondFactor();
        Path keyFile = settings.getKeyFile() != null ? settings.getKeyFile()
                : properties.getDataDir().resolve("second-factor.key");
        return new SecondFactors(store, SecretCipher.fromKeyFile(keyFile), settings.isRequired(), settings.getIssuer(), clock);
    }

    @Bean
    SignIn signIn(Accounts accounts, AuditTrail audit, SecondFactors secondFactors, ThrottleStore throttleStore,
            Clock clock) {
        return new SignIn(accounts, new SignInThrottle(clock), audit, secondFactors, throttleStore, clock);
    }

    @Bean
    Sessions sessions(SessionStore store, UserDirectory users, SpiderPigProperties properties, Clock clock) {
        return new Sessions(store, users, properties.getSecurity().getSessionLifetime(), clock);
    }

    @Bean
    ApiTokens apiTokens(TokenStore store, UserDirectory users, SpiderPigProperties properties, Clock clock) {
        return new ApiTokens(store, users, properties.getSecurity().getTokenLifetime(), clock);
    }

    @Bean
    CurrentUser currentUser() {
        return new CurrentUser();
    }
}
