package org.wikimedia.spiderpig.security;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.store.OidcUserStore;
import reactor.core.publisher.Mono;

/**
 * Turns what an OpenID provider says about a user (the claims of their ID token and user info) into a SpiderPig
 * user, or refuses them: no usable name, in no group that gives a role, or no second factor where one is
 * required. Every outcome is audited. The provider's word on groups is kept for the user's sessions and tokens.
 */
public class OidcSignIn {

    /** The audit trail's user for a failure before the provider named anyone. */
    public static final String UNKNOWN_USER = "(single sign-on)";

    private final SpiderPigProperties.Oidc settings;
    private final GroupRoles groupRoles;
    private final OidcUserStore users;
    private final AuditTrail audit;
    private final Clock clock;

    public OidcSignIn(SpiderPigProperties.Oidc settings, GroupRoles groupRoles, OidcUserStore users, AuditTrail audit,
                      Clock clock) {
        this.settings = settings;
        this.groupRoles = groupRoles;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    public String providerName() {
        return settings.getProviderName();
    }

    /** The signed-in user; a {@link Problem} (403) saying why when refused. */
    public Mono<SpiderPigUser> signIn(Map<String, Object> claims, InetAddress from) {
        Object nameClaim = claims.get(settings.getUserClaim());
        if (!(nameClaim instanceof String name) || !AccountsFile.isValidName(name)) {
            return refuse(UNKNOWN_USER, from, new Problem(403, "sign-in-refused", "Sign-in refused",
                    "The provider's claim \"" + settings.getUserClaim() + "\" holds no usable user name (got "
                            + (nameClaim == null ? "nothing" : "\"" + nameClaim + "\"")
                            + "); set spiderpig.security.oidc.user-claim to the claim that does."));
        }
        List<String> groups = strings(claims.get(settings.getGroupsClaim()));
        if (settings.isRequireMfa() && !secondFactorConfirmed(claims)) {
            return refuse(name, from, new Problem(403, "second-factor-required", "Second factor required",
                    name + " signed in without a second factor, and this server accepts only sign-ins that the provider"
                            + " confirmed with one (acr " + claims.get("acr") + ", amr " + claims.get("amr")
                            + "). Set up a second factor with your provider and sign in again."));
        }
        Role role = groupRoles.highest(groups);
        if (role == null) {
            return refuse(name, from, new Problem(403, "no-role", "No role on this server",
                    name + " is in none of the groups that give a role here (" + String.join(", ", groupNames())
                            + "); the provider says " + (groups.isEmpty() ? "no groups" : "the groups " + String.join(", ", groups))
                            + ". Ask an administrator to add you to one of them.",
                    Map.of("user", name, "groups", groups)));
        }
        SpiderPigUser user = SpiderPigUser.withRole(name, role);
        return users.save(name, groups, clock.instant())
                .then(audit.record(name, AuditTrail.Action.SIGNED_IN, from, null, "single sign-on"))
                .thenReturn(user);
    }

    /** The provider or the flow failed before anyone was signed in (denied, expired, forged state, bad token). */
    public Mono<Void> failed(String why, InetAddress from) {
        return audit.record(UNKNOWN_USER, AuditTrail.Action.SIGN_IN_FAILED, from, null, why);
    }

    private Mono<SpiderPigUser> refuse(String user, InetAddress from, Problem why) {
        return audit.record(user, AuditTrail.Action.SIGN_IN_REFUSED, from, null, why.type())
                .then(Mono.error(why));
    }

    /** An acr the server asked for, or an amr naming a second factor (RFC 8176). */
    boolean secondFactorConfirmed(Map<String, Object> claims) {
        Object acr = claims.get("acr");
        if (acr instanceof String value && settings.getMfaAcrValues().contains(value)) {
            return true;
        }
        return strings(claims.get("amr")).stream().anyMatch(settings.getMfaAmrValues()::contains);
    }

    private Set<String> groupNames() {
        return groupRoles.groups();
    }

    /** A claim of one string or a list of them (providers differ); anything else is none. */
    private static List<String> strings(Object claim) {
        if (claim instanceof String one) {
            return List.of(one);
        }
        if (claim instanceof Collection<?> many) {
            return many.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }
}
