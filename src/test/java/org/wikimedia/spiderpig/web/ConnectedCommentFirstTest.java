package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The overview stream's first message is its connected comment, and no change after it is missed. */
class ConnectedCommentFirstTest {

    private static final String CONNECTED = new String(SseMessages.comment("connected"), StandardCharsets.UTF_8);

    private static String text(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }

    @Test
    void aChangeThatComesWhileSubscribingGoesOutAfterTheComment() {
        // what another job's change on another thread does between subscribing and the comment, at once
        Flux<ByteBuffer> changeAtOnce = Flux.just(ByteBuffer.wrap("event:job-created\ndata:{}\n\n".getBytes(StandardCharsets.UTF_8)))
                .concatWith(Flux.never());

        StepVerifier.create(EventStreamHandler.connectedThen(changeAtOnce).map(ConnectedCommentFirstTest::text))
                .expectNext(CONNECTED)
                .expectNext("event:job-created\ndata:{}\n\n")
                .thenCancel()
                .verify(Duration.ofMinutes(1));
    }

    @Test
    void theChangesAreSubscribedToAsTheCommentGoesOutAndLetGoWithTheStream() {
        AtomicBoolean subscribed = new AtomicBoolean();
        AtomicBoolean letGo = new AtomicBoolean();
        Flux<ByteBuffer> changes = Flux.<ByteBuffer>never()
                .doOnSubscribe(subscription -> subscribed.set(true))
                .doOnCancel(() -> letGo.set(true));

        StepVerifier.create(EventStreamHandler.connectedThen(changes).map(ConnectedCommentFirstTest::text))
                .expectNext(CONNECTED)
                .then(() -> assertThat(subscribed).as("subscribed to the changes once the comment is out").isTrue())
                .thenCancel()
                .verify(Duration.ofMinutes(1));
        assertThat(letGo).as("the changes' subscription ends with the stream").isTrue();
    }
}
