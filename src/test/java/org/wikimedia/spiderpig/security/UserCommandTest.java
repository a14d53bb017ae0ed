package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.wikimedia.spiderpig.support.TestScripts;

class UserCommandTest {

    private final Path file = TestScripts.tempDirectory("spiderpig-users").resolve("accounts");
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        return new UserCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null,
                new PrintStream(output, true, StandardCharsets.UTF_8)).execute(args);
    }

    @Test
    void addsAUserWithAHashedPasswordAndPrintsNothingSecret() throws Exception {
        assertThat(run("a long enough secret\n", "add", "alice", "--group", "deployers", "--file", file.toString())).isZero();

        Account alice = AccountsFile.read(file).get("alice");
        assertThat(alice.groups()).containsExactly("deployers");
        assertThat(new BCryptPasswordEncoder().matches("a long enough secret", alice.passwordHash())).isTrue();
        assertThat(output.toString(StandardCharsets.UTF_8)).doesNotContain("secret").doesNotContain(alice.passwordHash());
    }

    @Test
    void resetsAPasswordKeepingTheGroupsAndRefusesShortOnesAndDuplicates() throws Exception {
        run("first password ok\n", "add", "bob", "--group", "viewers", "--file", file.toString());
        assertThat(run("first password ok\n", "add", "bob", "--file", file.toString())).isEqualTo(2);
        assertThat(run("short\n", "passwd", "bob", "--file", file.toString())).isEqualTo(2);
        assertThat(run("second password ok\n", "passwd", "bob", "--file", file.toString())).isZero();

        Account bob = AccountsFile.read(file).get("bob");
        assertThat(bob.groups()).containsExactly("viewers");
        assertThat(new BCryptPasswordEncoder().matches("second password ok", bob.passwordHash())).isTrue();
    }
}
