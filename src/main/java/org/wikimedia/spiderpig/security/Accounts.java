package org.wikimedia.spiderpig.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The local accounts, read from their file and read again when it changes (so {@code user add} needs no
 * restart). File reads and bcrypt, which is slow on purpose, run on a bounded scheduler of their own.
 */
public class Accounts {

    /** Compared against when the account does not exist, so that a wrong name takes as long as a wrong password. */
    private static final String NO_SUCH_ACCOUNT = new BCryptPasswordEncoder().encode("no such account");

    private final Path file;
    private final GroupRoles groupRoles;
    private final Scheduler scheduler;
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
    private volatile Snapshot snapshot = new Snapshot(null, Map.of());

    private record Snapshot(FileTime modified, Map<String, Account> accounts) {
    }

    /** {@code file} null: no local accounts (local mode). */
    public Accounts(Path file, GroupRoles groupRoles, Scheduler scheduler) {
        this.file = file;
        this.groupRoles = groupRoles;
        this.scheduler = scheduler;
    }

    /** The account's user with the roles its groups give today; empty when there is no such account. */
    public Mono<SpiderPigUser> user(String name) {
        return Mono.fromCallable(() -> Optional.ofNullable(current().get(name)).map(this::userOf))
                .subscribeOn(scheduler)
                .flatMap(Mono::justOrEmpty);
    }

    /** The user when the password is theirs; empty otherwise, alike for a wrong password and an unknown name. */
    public Mono<SpiderPigUser> check(String name, String password) {
        return Mono.fromCallable(() -> {
                    Account account = name == null ? null : current().get(name);
                    boolean matches = bcrypt.matches(password == null ? "" : password,
                            account == null ? NO_SUCH_ACCOUNT : account.passwordHash());
                    return Optional.ofNullable(matches && account != null ? userOf(account) : null);
                })
                .subscribeOn(scheduler)
                .flatMap(Mono::justOrEmpty);
    }

    private SpiderPigUser userOf(Account account) {
        Role role = groupRoles.highest(account.groups());
        return role == null ? new SpiderPigUser(account.name(), Set.of())
                : SpiderPigUser.withRole(account.name(), role);
    }

    private Map<String, Account> current() {
        if (file == null) {
            return Map.of();
        }
        try {
            FileTime modified;
            try {
                modified = Files.getLastModifiedTime(file);
            } catch (NoSuchFileException e) {
                return Map.of();
            }
            Snapshot seen = snapshot;
            if (!modified.equals(seen.modified())) {
                seen = new Snapshot(modified, AccountsFile.read(file));
                snapshot = seen;
            }
            return seen.accounts();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the accounts file " + file, e);
        }
    }
}
