package org.wikimedia.spiderpig.simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.wikimedia.spiderpig.SpiderPigApplication;

/** Expands a configured command starting with {@code @simulator} into a run of this same program's simulator. */
public final class SelfCommand {

    public static final String TOKEN = "@simulator";

    private SelfCommand() {
    }

    public static List<String> expand(List<String> command) {
        if (command.isEmpty() || !TOKEN.equals(command.get(0))) {
            return command;
        }
        List<String> expanded = new ArrayList<>();
        expanded.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            expanded.add("-jar");
            expanded.add(classPath);
        } else {
            expanded.add("-cp");
            expanded.add(classPath);
            expanded.add(SpiderPigApplication.class.getName());
        }
        expanded.add("simulate");
        expanded.addAll(command.subList(1, command.size()));
        return expanded;
    }
}
