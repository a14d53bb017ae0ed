package org.wikimedia.spiderpig.simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.wikimedia.spiderpig.supervisor.SupervisorCommand;

/**
 * Expands a configured job command whose first element is {@value #TOKEN} into a run of this very
 * program's simulator: {@code [java, <jvm options>, -cp, <class path>, org.wikimedia.spiderpig.SpiderPigApplication,
 * simulate, ...rest]}, or {@code [java, <jvm options>, -jar, <jar>, simulate, ...rest]} when the server
 * runs from its executable jar. So the default configuration works wherever Java runs.
 */
public final class SelfCommand {

    public static final String TOKEN = "@simulator";
    static final String MAIN_CLASS = "org.wikimedia.spiderpig.SpiderPigApplication";
    /** The simulator is small and short-lived: start fast, stay small. */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m");

    private SelfCommand() {
    }

    /** The command unchanged, or its {@value #TOKEN} expanded for the running JVM. */
    public static List<String> expand(List<String> configured) {
        return expand(configured, System.getProperty("java.home"), System.getProperty("java.class.path"));
    }

    static List<String> expand(List<String> configured, String javaHome, String classPath) {
        if (configured.isEmpty() || !TOKEN.equals(configured.get(0))) {
            return configured;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(javaHome, "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        if (isExecutableJar(classPath)) {
            command.add("-jar");
            command.add(classPath);
        } else {
            command.add("-cp");
            command.add(classPath);
            command.add(MAIN_CLASS);
        }
        command.add("simulate");
        command.addAll(configured.subList(1, configured.size()));
        return command;
    }

    static boolean isExecutableJar(String classPath) {
        return SupervisorCommand.isExecutableJar(classPath);
    }
}
