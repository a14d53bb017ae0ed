package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.wikimedia.spiderpig.store.StoreUnavailable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** {@link StatementRepeat}: only a statement whose connection went away is sent again, and never a row twice. */
class StatementRepeatTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final StatementRepeat repeat = StatementRepeat.within(new OutageRetry(Duration.ofMinutes(5)));

    private static RuntimeException cutOff() {
        // As Spring's database client hands on PostgreSQL's "terminating connection due to administrator command".
        return new DataAccessResourceFailureException("executeMany",
                new R2dbcNonTransientResourceException("terminating connection due to administrator command"));
    }

    @Test
    void aCutOffStatementIsSentAgain() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> statement = Mono.defer(() -> attempts.incrementAndGet() < 3 ? Mono.error(cutOff()) : Mono.just("row"));

        StepVerifier.create(repeat.repeatable("test", statement)).expectNext("row").expectComplete().verify(WAIT);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void anAnswerOfTheDatabaseIsNotACutOff() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> statement = Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(new DuplicateKeyException("taken", new R2dbcDataIntegrityViolationException("23505")));
        });

        StepVerifier.create(repeat.repeatable("test", statement)).expectError(DuplicateKeyException.class).verify(WAIT);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aConnectionNotHadWithinTheRetryIsNotWaitedForTwice() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> statement = Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(new DataAccessResourceFailureException("Failed to obtain R2DBC Connection",
                    new StoreUnavailable("away", cutOff())));
        });

        StepVerifier.create(repeat.repeatable("test", statement)).expectError().verify(WAIT);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void rowsAreRepeatedOnlyWhileNoneWasHandedOn() {
        AtomicInteger attempts = new AtomicInteger();
        Flux<String> beforeAnyRow = Flux.defer(() -> attempts.incrementAndGet() < 2 ? Flux.error(cutOff())
                : Flux.just("a", "b"));
        StepVerifier.create(repeat.repeatable("test", beforeAnyRow)).expectNext("a", "b").expectComplete().verify(WAIT);

        AtomicInteger later = new AtomicInteger();
        Flux<String> afterARow = Flux.defer(() -> {
            later.incrementAndGet();
            return Flux.just("a").concatWith(Flux.error(cutOff()));
        });
        StepVerifier.create(repeat.repeatable("test", afterARow)).expectNext("a")
                .expectError(DataAccessResourceFailureException.class).verify(WAIT);
        assertThat(later).as("not sent again: its first row would come twice").hasValue(1);
    }

    @Test
    void sqliteNeverRepeats() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> statement = Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(cutOff());
        });

        StepVerifier.create(StatementRepeat.never().repeatable("test", statement)).expectError().verify(WAIT);
        assertThat(attempts).hasValue(1);
    }
}
