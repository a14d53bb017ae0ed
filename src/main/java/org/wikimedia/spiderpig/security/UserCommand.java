package org.wikimedia.spiderpig.security;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * {@code java -jar spiderpig.jar user add NAME [--group G]… [--file PATH]} and {@code user passwd NAME}: edits
 * the local accounts file without starting the server. The password comes from the terminal (not echoed) or
 * from the first line of stdin; nothing secret is printed.
 */
public final class UserCommand {

    static final int MIN_PASSWORD_LENGTH = 12;
    private static final String DEFAULT_FILE_VARIABLE = "SPIDERPIG_SECURITY_ACCOUNTS_FILE";

    private final InputStream stdin;
    private final Console console;
    private final PrintStream out;

    UserCommand(InputStream stdin, Console console, PrintStream out) {
        this.stdin = stdin;
        this.console = console;
        this.out = out;
    }

    public static int run(String[] args) {
        return new UserCommand(System.in, System.console(), System.err).execute(args);
    }

    int execute(String[] args) {
        try {
            return dispatch(args);
        } catch (IllegalArgumentException | IOException e) {
            out.println("spiderpig user: " + e.getMessage());
            return 2;
        }
    }

    private int dispatch(String[] args) throws IOException {
        if (args.length < 2 || !List.of("add", "passwd", "remove").contains(args[0])) {
            out.println("usage: spiderpig user add NAME [--group GROUP]... [--file ACCOUNTS_FILE]\n"
                    + "       spiderpig user passwd NAME [--file ACCOUNTS_FILE]\n"
                    + "       spiderpig user remove NAME [--file ACCOUNTS_FILE]\n"
                    + "The file defaults to $" + DEFAULT_FILE_VARIABLE + ", which the server reads too.");
            return 2;
        }
        String name = args[1];
        List<String> groups = new ArrayList<>();
        Path file = System.getenv(DEFAULT_FILE_VARIABLE) == null ? null : Path.of(System.getenv(DEFAULT_FILE_VARIABLE));
        for (int i = 2; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            switch (option) {
                case "--group" -> groups.add(args[++i]);
                case "--file" -> file = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (file == null) {
            throw new IllegalArgumentException("say which accounts file: --file PATH (or set " + DEFAULT_FILE_VARIABLE + ")");
        }
        Map<String, Account> accounts = new LinkedHashMap<>(AccountsFile.read(file));
        Account existing = accounts.get(name);
        switch (args[0]) {
            case "add" -> {
                if (existing != null) {
                    throw new IllegalArgumentException(name + " exists; use `user passwd " + name + "` to reset the password");
                }
                accounts.put(name, new Account(name, hash(readPassword(name)), groups));
            }
            case "passwd" -> {
                if (existing == null) {
                    throw new IllegalArgumentException("there is no user " + name + " in " + file);
                }
                accounts.put(name, new Account(name, hash(readPassword(name)),
                        groups.isEmpty() ? existing.groups() : groups));
            }
            default -> {
                if (accounts.remove(name) == null) {
                    throw new IllegalArgumentException("there is no user " + name + " in " + file);
                }
            }
        }
        AccountsFile.write(file, accounts);
        out.println("spiderpig user: " + args[0] + " " + name + " done in " + file
                + (args[0].equals("remove") ? "" : " (groups: " + String.join(", ", accounts.get(name).groups()) + ")"));
        return 0;
    }

    private String readPassword(String name) throws IOException {
        String password;
        if (console != null) {
            char[] first = console.readPassword("Password for %s: ", name);
            char[] second = console.readPassword("Again: ");
            if (first == null || second == null || !String.valueOf(first).equals(String.valueOf(second))) {
                throw new IllegalArgumentException("the passwords differ");
            }
            password = String.valueOf(first);
        } else {
            password = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
        }
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("a password has at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        return password;
    }

    private static String hash(String password) {
        return new BCryptPasswordEncoder().encode(password);
    }
}
