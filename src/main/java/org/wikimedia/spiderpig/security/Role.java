package org.wikimedia.spiderpig.security;

/** What a user may do. Sign-in assigns roles in a later stage; until then the local user has every role. */
public enum Role {
    VIEWER,
    DEPLOYER,
    ADMIN
}
