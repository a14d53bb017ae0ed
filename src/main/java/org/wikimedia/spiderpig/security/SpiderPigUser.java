package org.wikimedia.spiderpig.security;

import java.util.Set;

/** The person or script behind a request. Every action the server records names one. */
public record SpiderPigUser(String name, Set<Role> roles) {

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
