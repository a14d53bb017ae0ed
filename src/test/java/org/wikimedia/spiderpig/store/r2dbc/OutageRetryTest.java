package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** {@link OutageRetry}: a call that fails is tried again until it works or its patience is spent. */
class OutageRetryTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    @Test
    void aBlockingCallIsTriedAgainUntilTheDatabaseAnswers() throws IOException {
        AtomicInteger attempts = new AtomicInteger();

        String answer = new OutageRetry(LONG).await("test", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new R2dbcNonTransientResourceException("terminating connection due to administrator command");
            }
            return "answered";
        });

        assertThat(answer).isEqualTo("answered");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void itsFailureStandsOncePatienceIsSpent() {
        Duration patience = Duration.ofMillis(250);
        long start = System.nanoTime();

        assertThatThrownBy(() -> new OutageRetry(patience).await("test", () -> {
            throw new IOException("connection refused");
        })).isInstanceOf(IOException.class).hasMessage("connection refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("given up only once patience was spent")
                .isGreaterThanOrEqualTo(patience);
    }

    @Test
    void noPatienceFailsAtOnce() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> new OutageRetry(Duration.ZERO).await("test", () -> {
            attempts.incrementAndGet();
            throw new R2dbcNonTransientResourceException("gone");
        })).isInstanceOf(R2dbcNonTransientResourceException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aStatementRefusedAsWrittenIsNotTriedAgain() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> new OutageRetry(LONG).await("test", () -> {
            attempts.incrementAndGet();
            throw new R2dbcBadGrammarException("syntax error");
        })).isInstanceOf(R2dbcBadGrammarException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aReactiveCallIsResubscribedAfterGrowingPauses() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> connection = Mono.defer(() -> attempts.incrementAndGet() < 4
                ? Mono.error(new R2dbcNonTransientResourceException("not accepting connections"))
                : Mono.just("connected"));

        StepVerifier.withVirtualTime(() -> connection.retryWhen(new OutageRetry(LONG).spec("test")))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(100 + 200 + 400))
                .expectNext("connected")
                .verifyComplete();
        assertThat(attempts).hasValue(4);
    }
}
