package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.store.JobStore.NewJob;
import org.wikimedia.spiderpig.support.StoreTestDatabase;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** The conditional write that decides a prompt's answer, raced many times on a real database of each kind. */
@ParameterizedClass
@EnumSource(StoreTestDatabase.Kind.class)
class InteractionStoreRaceTest extends DatabaseContract {

    private R2dbcJobStore jobs;
    private R2dbcInteractionStore interactions;

    InteractionStoreRaceTest(StoreTestDatabase.Kind kind) {
        super(kind);
    }

    @BeforeEach
    void openStores() {
        jobs = new R2dbcJobStore(db(), JSON);
        interactions = new R2dbcInteractionStore(db(), JSON);
    }

    @Test
    void ofManyConcurrentAnswersExactlyOneIsStoredEveryTime() {
        long job = jobs.create(new NewJob("backport", Map.of(), "Backport", "alice", "backport", Instant.now()))
                .block().id();
        for (int round = 0; round < 50; round++) {
            Interaction prompt = interactions.open(job, "choices", "Continue?", Map.of("Yes", "y", "No", "n"), "n",
                    Instant.now()).block();

            List<String> winners = Flux.range(0, 32)
                    .flatMap(user -> interactions.answer(prompt.id(), user % 2 == 0 ? "y" : "n", "user" + user, Instant.now())
                            .subscribeOn(Schedulers.parallel())
                            .filter(Boolean::booleanValue)
                            .map(won -> "user" + user), 32)
                    .collectList()
                    .block(Duration.ofSeconds(60));

            assertThat(winners).as("round %d", round).hasSize(1);
            Interaction stored = interactions.find(prompt.id()).block();
            assertThat(stored.answeredBy()).isEqualTo(winners.get(0));
            assertThat(interactions.answer(prompt.id(), "y", "late", Instant.now()).block()).isFalse();
        }
    }

    @Test
    void promptsReadBackAsOpenedOldestFirst() {
        long job = jobs.create(new NewJob("backport", Map.of(), "Backport", "alice", "backport", Instant.now()))
                .block().id();
        Instant at = Instant.parse("2026-11-30T05:00:00.000001Z");
        Map<String, String> choices = new java.util.LinkedHashMap<>();
        choices.put("Yes", "y");
        choices.put("No", "n");
        Interaction first = interactions.open(job, "choices", "Sync?", choices, "n", at).block();
        Interaction second = interactions.open(job, "input_line", "Why?", null, null, at.plusSeconds(1)).block();

        assertThat(interactions.forJob(job).collectList().block()).containsExactly(first, second);
        assertThat(first.choices()).as("in the order scap offered them").containsExactly(Map.entry("Yes", "y"),
                Map.entry("No", "n"));
        assertThat(first.openedAt()).isEqualTo(at);
        assertThat(second.choices()).isEmpty();
        assertThat(second.defaultChoice()).isNull();
        assertThat(interactions.pendingForJob(job).block()).isEqualTo(second);
        assertThat(interactions.answer(second.id(), "because", "bob", at.plusSeconds(2)).block()).isTrue();
        assertThat(interactions.pendingForJob(job).block()).isEqualTo(first);
        assertThat(interactions.find(second.id()).block().answeredAt()).isEqualTo(at.plusSeconds(2));
    }

    @Test
    void aClosedPromptCanNoLongerBeAnswered() {
        long job = jobs.create(new NewJob("backport", Map.of(), "Backport", "alice", "backport", Instant.now()))
                .block().id();
        Interaction prompt = interactions.open(job, "input_line", "Why?", Map.of(), null, Instant.now()).block();

        List<Interaction> closed = interactions.closePending(job, "The job ended", Instant.now()).collectList().block();

        assertThat(closed).extracting(Interaction::id).containsExactly(prompt.id());
        assertThat(interactions.answer(prompt.id(), "because", "bob", Instant.now()).block()).isFalse();
        assertThat(interactions.find(prompt.id()).block().closedReason()).isEqualTo("The job ended");
        assertThat(interactions.pendingForJob(job).block()).isNull();
    }
}
