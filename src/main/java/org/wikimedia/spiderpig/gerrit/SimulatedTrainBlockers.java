package org.wikimedia.spiderpig.gerrit;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import org.wikimedia.spiderpig.train.EmbeddedStaging;
import org.wikimedia.spiderpig.train.TrainBlockersSource;
import reactor.core.publisher.Mono;

/**
 * The train-blockers API of the embedded default: this week's train is the embedded staging directory's
 * version, its blocker task open since Monday.
 */
public class SimulatedTrainBlockers implements TrainBlockersSource {

    static final String TASK = "T395123";

    private final String phabricatorUrl;
    private final Clock clock;

    public SimulatedTrainBlockers(String phabricatorUrl, Clock clock) {
        this.phabricatorUrl = phabricatorUrl;
        this.clock = clock;
    }

    @Override
    public Mono<BlockerTask> current() {
        LocalDate monday = LocalDate.now(clock).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        return Mono.just(new BlockerTask(EmbeddedStaging.VERSION, TASK, "open", monday.toString(),
                TrainBlockersSource.taskUrl(phabricatorUrl, TASK)));
    }
}
