package org.wikimedia.spiderpig.security;

import java.util.Set;

/** The person or script behind a request. Every action the server records names one. */
public record SpiderPigUser(String name, Set<Role> roles) {

    public static SpiderPigUser withRole(String name, Role role) {
        return new SpiderPigUser(name, role.andBelow());
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** The highest role held, or null for a user without any. */
    public Role highest() {
        return roles.stream().max(Enum::compareTo).orElse(null);
    }
}
