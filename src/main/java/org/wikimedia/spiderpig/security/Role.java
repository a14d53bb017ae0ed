package org.wikimedia.spiderpig.security;

/** What a user may do. Sign-in assigns roles in a later stage; until then the local user is a deployer. */
public enum Role {
    VIEWER,
    DEPLOYER,
    ADMIN
}
