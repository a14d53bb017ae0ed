package org.wikimedia.spiderpig.security;

/**
 * How this server knows who is calling: in local mode everyone is {@code localUser} (an admin), otherwise
 * callers sign in.
 */
public record SecurityMode(boolean localMode, SpiderPigUser localUser, Role unmaskedRole) {

    /** Whether this user may read output without masking (spiderpig.security.unmasked-role). */
    public boolean mayReadUnmasked(SpiderPigUser user) {
        return user.has(unmaskedRole);
    }
}
