-- Single sign-on users: their groups as the provider last said, so that sessions and tokens know their roles.
CREATE TABLE IF NOT EXISTS oidc_users (
    name         TEXT PRIMARY KEY,
    groups       TEXT NOT NULL, -- one group a line (group names may hold commas: LDAP DNs)
    signed_in_at TEXT NOT NULL
);

-- The sign-in throttle, so that a restart does not reset a lock or the failures that lead to one.
CREATE TABLE IF NOT EXISTS sign_in_throttle (
    throttle_key TEXT   PRIMARY KEY,      -- account:NAME or address:NETWORK
    failures     TEXT   NOT NULL,         -- epoch milliseconds of the recent failures, comma-separated
    locked_until BIGINT NOT NULL,         -- epoch milliseconds; 0 when not locked
    updated_at   BIGINT NOT NULL          -- epoch milliseconds
);
