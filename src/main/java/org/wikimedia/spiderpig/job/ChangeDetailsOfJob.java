package org.wikimedia.spiderpig.job;

import java.time.Duration;
import java.util.List;
import org.wikimedia.spiderpig.gerrit.ChangeDetailsSource;
import org.wikimedia.spiderpig.job.InvalidParametersException.FieldError;
import org.wikimedia.spiderpig.model.ChangeDetails;
import org.wikimedia.spiderpig.problem.Problem;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The details a new job records of its changes, asked of Gerrit all at once. A change Gerrit does not know
 * is a bad parameter (all of them in one 400); one Gerrit could not answer for is recorded with why.
 */
public class ChangeDetailsOfJob {

    /** A source that ignores its own timeout must still not hold a request. */
    private static final Duration AT_MOST = Duration.ofSeconds(30);

    private final ChangeDetailsSource gerrit;

    public ChangeDetailsOfJob(ChangeDetailsSource gerrit) {
        this.gerrit = gerrit;
    }

    private record Answer(ChangeDetails details, boolean unknown) {
    }

    /** Details of each change, in order; empty for a job without changes ({@code numbers} null). */
    Mono<List<ChangeDetails>> of(List<String> numbers) {
        if (numbers == null || numbers.isEmpty()) {
            return Mono.just(List.of());
        }
        return Flux.fromIterable(numbers)
                .flatMapSequential(number -> gerrit.fetch(number)
                        .timeout(AT_MOST)
                        .map(details -> new Answer(details, false))
                        .onErrorResume(error -> Mono.just(ChangeDetailsSource.isUnknownChange(error)
                                ? new Answer(ChangeDetails.unavailable(number, null), true)
                                : new Answer(ChangeDetails.unavailable(number, why(error)), false))))
                .collectList()
                .map(answers -> {
                    List<FieldError> unknown = answers.stream().filter(Answer::unknown)
                            .map(answer -> new FieldError("parameters." + ChangeIdsValidator.FIELD,
                                    answer.details().number(), "is not a change Gerrit knows"))
                            .toList();
                    if (!unknown.isEmpty()) {
                        throw new InvalidParametersException(unknown);
                    }
                    return answers.stream().map(Answer::details).toList();
                });
    }

    private static String why(Throwable error) {
        return error instanceof Problem problem ? problem.detail()
                : "The details could not be fetched from Gerrit (" + error.getClass().getSimpleName() + ").";
    }
}
