package org.wikimedia.spiderpig.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.wikimedia.spiderpig.train.StagingDirectory.StagingException;
import org.wikimedia.spiderpig.train.TrainBlockersSource.BlockerTask;
import org.wikimedia.spiderpig.train.TrainBlockersSource.TrainBlockersUnavailable;
import org.wikimedia.spiderpig.train.TrainStatus.Group;
import org.wikimedia.spiderpig.train.TrainStatus.Warning;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The train's status from the staging directory (read on its own scheduler) and the train-blockers API, asked
 * at the same time. A source that fails becomes a warning and the rest is still answered.
 */
public class TrainStatusService {

    private final StagingDirectory staging;
    private final TrainBlockersSource blockers;
    private final Scheduler stagingReads;

    public TrainStatusService(StagingDirectory staging, TrainBlockersSource blockers, Scheduler stagingReads) {
        this.staging = staging;
        this.blockers = blockers;
        this.stagingReads = stagingReads;
    }

    public Mono<TrainStatus> status() {
        Mono<Staged> staged = Mono.fromCallable(this::readStaging).subscribeOn(stagingReads);
        Mono<Blocker> blocker = blockers.current()
                .map(task -> new Blocker(task, null))
                .switchIfEmpty(Mono.fromSupplier(() -> new Blocker(null,
                        new Warning("blockers", "The train-blockers API named no current train."))))
                .onErrorResume(error -> Mono.just(new Blocker(null, new Warning("blockers",
                        error instanceof TrainBlockersUnavailable ? error.getMessage()
                                : "The train-blockers API could not be asked (" + error.getClass().getSimpleName() + ")."))));
        return Mono.zip(staged, blocker, this::combine);
    }

    private record Staged(Map<String, String> versions, Map<String, List<String>> groups, List<Warning> warnings) {
    }

    private record Blocker(BlockerTask task, Warning warning) {
    }

    private Staged readStaging() {
        List<Warning> warnings = new ArrayList<>();
        Map<String, String> versions;
        try {
            versions = staging.wikiVersions();
        } catch (StagingException e) {
            warnings.add(new Warning("wikiversions", e.getMessage()));
            return new Staged(Map.of(), Map.of(), warnings);
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String group : TrainGroups.IN_ORDER) {
            try {
                groups.put(group, List.copyOf(staging.wikisOf(group)));
            } catch (StagingException e) {
                warnings.add(new Warning("dblists", e.getMessage()));
                groups.put(group, List.of());
            }
        }
        return new Staged(versions, groups, warnings);
    }

    private TrainStatus combine(Staged staged, Blocker blocker) {
        List<String> known = staged.versions().values().stream().distinct().sorted(TrainVersion.ORDER).toList();
        String train = Optional.ofNullable(blocker.task()).map(BlockerTask::version).filter(TrainVersion::isValid)
                .orElse(known.isEmpty() ? null : known.get(known.size() - 1));
        String previous = train == null ? null : known.stream()
                .filter(version -> TrainVersion.ORDER.compare(version, train) < 0)
                .max(TrainVersion.ORDER).orElse(null);
        List<Group> groups = staged.groups().entrySet().stream()
                .map(entry -> group(entry.getKey(), entry.getValue(), staged.versions(), train))
                .toList();
        List<Warning> warnings = new ArrayList<>(staged.warnings());
        if (blocker.warning() != null) {
            warnings.add(blocker.warning());
        }
        return new TrainStatus(train, previous, groups, blocker.task(), warnings);
    }

    private static Group group(String name, List<String> wikis, Map<String, String> versions, String train) {
        Map<String, Integer> counts = new TreeMap<>(TrainVersion.ORDER.reversed());
        wikis.stream().map(versions::get).filter(Objects::nonNull)
                .forEach(version -> counts.merge(version, 1, Integer::sum));
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        String single = counts.size() == 1 ? counts.keySet().iterator().next() : null;
        return new Group(name, total, single, counts, single != null && single.equals(train));
    }
}
