package org.wikimedia.spiderpig.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a user may do; each role includes every lower one (viewer < deployer < admin). */
public enum Role {
    VIEWER,
    DEPLOYER,
    ADMIN;

    /** This role and every role below it: what a user with this role holds. */
    public Set<Role> andBelow() {
        return EnumSet.range(VIEWER, this);
    }

    public Role lower(Role other) {
        return compareTo(other) <= 0 ? this : other;
    }

    /** Spring Security's name for it. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** {@code viewer}, {@code deployer} or {@code admin}, in any case. */
    public static Role parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role \"" + name + "\"; use one of "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT));
        }
    }
}
