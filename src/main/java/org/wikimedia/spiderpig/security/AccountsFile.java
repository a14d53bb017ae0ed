package org.wikimedia.spiderpig.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The local accounts file: one account a line, {@code name:bcrypt-hash:group,group}; '#' starts a comment.
 * Plain text so that an operator can read, diff and back it up; only hashes, never passwords.
 */
public final class AccountsFile {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private AccountsFile() {
    }

    static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Every account in the file; an absent file has none. Blocking. */
    public static Map<String, Account> read(Path file) throws IOException {
        Map<String, Account> accounts = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return accounts;
        }
        int number = 0;
        for (String line : lines) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split(":", -1);
            if (fields.length < 2) {
                throw new IOException(file + " line " + number + ": expected name:hash:groups");
            }
            List<String> groups = fields.length > 2 && !fields[2].isBlank()
                    ? Arrays.stream(fields[2].split(",")).map(String::strip).filter(g -> !g.isEmpty()).toList()
                    : List.of();
            accounts.put(fields[0], new Account(fields[0], fields[1], groups));
        }
        return accounts;
    }

    /** Replaces the file in one rename, readable by its owner only. Blocking. */
    public static void write(Path file, Map<String, Account> accounts) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# SpiderPig local accounts: name:bcrypt-hash:groups. Edit with `java -jar spiderpig.jar user`.");
        for (Account account : accounts.values()) {
            lines.add(account.name() + ":" + account.passwordHash() + ":" + String.join(",", account.groups()));
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".accounts", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the directory's ACL applies.
            }
            Files.write(temp, lines, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
