package org.wikimedia.spiderpig.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** Spring Security's view of a {@link SpiderPigUser}, and how they proved who they are. */
public class SignedIn extends AbstractAuthenticationToken {

    /** How the request was authenticated. */
    public enum Via {
        LOCAL_MODE,
        SESSION,
        /** A session that has passed the password and owes the second factor: it may only finish signing in. */
        PASSWORD_ONLY,
        TOKEN
    }

    private final SpiderPigUser user;
    private final Via via;

    public SignedIn(SpiderPigUser user, Via via) {
        super(user.roles().stream().map(role -> new SimpleGrantedAuthority(role.authority())).toList());
        this.user = user;
        this.via = via;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public SpiderPigUser getPrincipal() {
        return user;
    }

    @Override
    public String getName() {
        return user.name();
    }

    public Via via() {
        return via;
    }
}
