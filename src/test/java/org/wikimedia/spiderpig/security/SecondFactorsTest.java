package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.store.r2dbc.R2dbcSecondFactorStore;
import org.wikimedia.spiderpig.store.r2dbc.SchemaMigrations;
import org.wikimedia.spiderpig.support.TestScripts;
import reactor.core.publisher.Mono;

/** Enrolment and verification on a real SQLite file: a code is accepted once, even by a restarted server. */
class SecondFactorsTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    private Path dir;
    private ConnectionFactory connections;

    @BeforeEach
    void openDatabase() {
        dir = TestScripts.tempDirectory("spiderpig-totp");
        connections = ConnectionFactories.get("r2dbc:sqlite://" + dir.resolve("totp.db"));
        new SchemaMigrations(connections, "db/migration", Clock.systemUTC()).migrate().block();
    }

    @AfterEach
    void closeDatabase() {
        if (connections instanceof io.r2dbc.spi.Closeable closeable) {
            Mono.from(closeable.close()).block();
        }
    }

    /** What one server start builds: a store over the database and the cipher from the key file. */
    private SecondFactors server(Instant now) {
        return new SecondFactors(new R2dbcSecondFactorStore(DatabaseClient.create(connections)),
                SecretCipher.fromKeyFile(dir.resolve("second-factor.key")), true, "SpiderPig Test",
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String code(SecondFactors.Enrolment enrolment, Instant at) {
        return Totp.code(Base32.decode(enrolment.secret()), Totp.step(at), Totp.DIGITS);
    }

    @Test
    void anEnrolmentIsConfirmedByOneCodeAndThatCodeIsNeverAcceptedAgainNotEvenAfterARestart() {
        SecondFactors first = server(NOW);
        SecondFactors.Enrolment enrolment = first.begin("alice").block();
        assertThat(enrolment.uri()).startsWith("otpauth://totp/SpiderPig%20Test:alice?secret=" + enrolment.secret())
                .contains("&issuer=SpiderPig%20Test", "&digits=6", "&period=30");
        assertThat(enrolment.qrCodeSvg()).startsWith("<svg").endsWith("</svg>");
        assertThat(first.enrolled("alice").block()).isFalse();

        String code = code(enrolment, NOW);
        assertThat(first.prove("alice", code).block()).isEqualTo(SecondFactors.Proof.ENROLLED);
        assertThat(first.enrolled("alice").block()).isTrue();
        assertThat(first.prove("alice", code).block()).as("the same code again").isEqualTo(SecondFactors.Proof.REFUSED);

        SecondFactors restarted = server(NOW.plusSeconds(5));
        assertThat(restarted.prove("alice", code).block()).as("after a restart").isEqualTo(SecondFactors.Proof.REFUSED);
        assertThat(restarted.prove("alice", code(enrolment, NOW.minusSeconds(30))).block())
                .as("an older step, still within the tolerance").isEqualTo(SecondFactors.Proof.REFUSED);
        assertThat(restarted.prove("alice", code(enrolment, NOW.plusSeconds(30))).block())
                .as("the next step").isEqualTo(SecondFactors.Proof.VERIFIED);
    }

    @Test
    void aWrongCodeIsRefusedAndOneThatIsNotSixDigitsIsABadRequest() {
        SecondFactors factors = server(NOW);
        SecondFactors.Enrolment enrolment = factors.begin("bob").block();
        factors.prove("bob", code(enrolment, NOW)).block();
        String wrong = code(enrolment, NOW.plusSeconds(90));
        assertThat(factors.prove("bob", wrong).block()).isEqualTo(SecondFactors.Proof.REFUSED);
        assertThatThrownBy(() -> factors.prove("bob", "12345").block()).isInstanceOf(Problem.class)
                .extracting(problem -> ((Problem) problem).status()).isEqualTo(400);
        assertThat(factors.prove("bob", code(enrolment, NOW.plusSeconds(30)).substring(0, 3) + " "
                + code(enrolment, NOW.plusSeconds(30)).substring(3)).block())
                .as("spaces as apps show them").isEqualTo(SecondFactors.Proof.VERIFIED);
    }

    @Test
    void anEnrolledSecondFactorCannotBeReplacedUntilReset() {
        SecondFactors factors = server(NOW);
        SecondFactors.Enrolment first = factors.begin("carol").block();
        SecondFactors.Enrolment again = factors.begin("carol").block();
        assertThat(again.secret()).as("an unconfirmed enrolment starts over").isNotEqualTo(first.secret());
        assertThat(factors.prove("carol", code(first, NOW)).block()).isEqualTo(SecondFactors.Proof.REFUSED);
        assertThat(factors.prove("carol", code(again, NOW)).block()).isEqualTo(SecondFactors.Proof.ENROLLED);

        assertThatThrownBy(() -> factors.begin("carol").block()).isInstanceOf(Problem.class)
                .extracting(problem -> ((Problem) problem).type()).asString().endsWith("second-factor-enrolled");
        assertThat(factors.reset("carol").block()).isTrue();
        assertThat(factors.enrolled("carol").block()).isFalse();
        assertThat(factors.begin("carol").block()).isNotNull();
    }

    @Test
    void theSecretIsStoredEncryptedUnderAKeyFileOnlyItsOwnerMayRead() throws Exception {
        SecondFactors factors = server(NOW);
        SecondFactors.Enrolment enrolment = factors.begin("dave").block();
        String stored = new R2dbcSecondFactorStore(DatabaseClient.create(connections)).find("dave").block().secret();
        assertThat(stored).doesNotContain(enrolment.secret());
        assertThat(Base32.encode(SecretCipher.fromKeyFile(dir.resolve("second-factor.key")).decrypt(stored)))
                .isEqualTo(enrolment.secret());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("second-factor.key"))))
                .isEqualTo("rw-------");
        SecretCipher otherKey = SecretCipher.fromKeyFile(dir.resolve("another.key"));
        assertThatThrownBy(() -> otherKey.decrypt(stored)).isInstanceOf(IllegalStateException.class);
    }
}
