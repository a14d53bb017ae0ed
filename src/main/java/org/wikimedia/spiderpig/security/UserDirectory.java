package org.wikimedia.spiderpig.security;

import java.util.Set;
import org.wikimedia.spiderpig.store.OidcUserStore;
import reactor.core.publisher.Mono;

/**
 * Who a session's or token's user name is today: a local account (its groups in the accounts file), else a
 * single sign-on user (the groups their provider gave at their last sign-in). One name is one person: a local
 * account and a single sign-on user of the same name share sessions, tokens and the audit trail.
 */
public class UserDirectory {

    private final Accounts accounts;
    private final OidcUserStore oidcUsers;
    private final GroupRoles groupRoles;

    public UserDirectory(Accounts accounts, OidcUserStore oidcUsers, GroupRoles groupRoles) {
        this.accounts = accounts;
        this.oidcUsers = oidcUsers;
        this.groupRoles = groupRoles;
    }

    /** The user with their roles now; empty when nobody has this name. */
    public Mono<SpiderPigUser> user(String name) {
        return accounts.user(name).switchIfEmpty(Mono.defer(() -> oidcUsers.groups(name).map(groups -> {
            Role role = groupRoles.highest(groups);
            return role == null ? new SpiderPigUser(name, Set.of()) : SpiderPigUser.withRole(name, role);
        })));
    }
}
