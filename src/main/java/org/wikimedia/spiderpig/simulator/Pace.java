package org.wikimedia.spiderpig.simulator;

import java.util.Locale;

/**
 * How fast the simulator goes: {@code realistic} (a backport takes a minute or two), {@code fast} (no
 * delays, for tests) or a multiplier of the realistic delays ({@code 0.1} is ten times faster).
 */
record Pace(double multiplier) {

    static final String ENVIRONMENT_VARIABLE = "SPIDERPIG_SIMULATOR_PACE";

    static Pace parse(String value) {
        if (value == null || value.isBlank()) {
            return new Pace(1.0);
        }
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "realistic":
                return new Pace(1.0);
            case "fast":
                return new Pace(0.0);
            default:
                try {
                    double multiplier = Double.parseDouble(value.strip());
                    if (multiplier >= 0 && Double.isFinite(multiplier)) {
                        return new Pace(multiplier);
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
                throw new IllegalArgumentException("pace must be realistic, fast or a non-negative number, not \"" + value + "\"");
        }
    }

    /** Waits the scaled time, like the real tool waiting for Gerrit, rsync or canary traffic. */
    void pause(double realisticSeconds) {
        long millis = Math.round(realisticSeconds * multiplier * 1000);
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
