package org.wikimedia.spiderpig.job;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.wikimedia.spiderpig.job.InvalidParametersException.FieldError;

/** A signal a deployer may send a running job's process group at once, by its API name. */
public enum JobSignal {
    INTERRUPT("interrupt", "INT"),
    KILL("kill", "KILL");

    private final String wireName;
    private final String unixName;

    JobSignal(String wireName, String unixName) {
        this.wireName = wireName;
        this.unixName = unixName;
    }

    public String wireName() {
        return wireName;
    }

    /** The name {@code kill -s} takes. */
    public String unixName() {
        return unixName;
    }

    /** The signal a request names, or a 400 listing the ones there are. */
    public static JobSignal require(String name) {
        return Optional.ofNullable(name)
                .flatMap(given -> Arrays.stream(values()).filter(s -> s.wireName.equals(given)).findFirst())
                .orElseThrow(() -> new InvalidParametersException(List.of(new FieldError("signal", name,
                        "is not a signal SpiderPig sends (known: interrupt, kill)"))));
    }
}
