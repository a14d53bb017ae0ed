package org.wikimedia.spiderpig.startup;

/** One setting that stops the server from starting: its key, what is wrong, and how to fix it. */
record SettingProblem(String key, String problem, String fix) {

    @Override
    public String toString() {
        return key + ": " + problem + ". Fix: " + fix;
    }
}
