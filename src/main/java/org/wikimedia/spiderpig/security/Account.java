package org.wikimedia.spiderpig.security;

import java.util.List;

/** A local account: its name, its password's bcrypt hash, and the groups that give it roles. */
public record Account(String name, String passwordHash, List<String> groups) {

    public Account {
        if (!AccountsFile.isValidName(name)) {
            throw new IllegalArgumentException("a user name is letters, digits, '.', '_', '-' or '@' (got \"" + name + "\")");
        }
        groups = List.copyOf(groups);
    }
}
