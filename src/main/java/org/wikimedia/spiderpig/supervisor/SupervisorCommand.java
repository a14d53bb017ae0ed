package org.wikimedia.spiderpig.supervisor;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * How to start a supervisor from the running server's own code: {@code java <options> -jar <jar> supervise}
 * when the server runs from its executable jar, {@code java <options> -cp <class path> Supervisor}
 * otherwise (tests, an IDE). Its JVM is made to start fast and stay small: it only copies bytes.
 */
public final class SupervisorCommand {

    public static final String ARGUMENT = "supervise";
    public static final List<String> JVM_OPTIONS = List.of("-Xmx16m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:-UsePerfData", "-Xshare:auto");

    private SupervisorCommand() {
    }

    /** For the JVM this runs in. */
    public static List<String> forThisJvm() {
        return of(System.getProperty("java.home"), System.getProperty("java.class.path"));
    }

    /**
     * For the JVM this runs in, from its executable jar: from a small jar of the supervisor's classes with a
     * class data archive, made in {@code directory} if need be ({@link SupervisorJvm}), which takes a few
     * seconds once per version. Elsewhere (tests, an IDE) as {@link #forThisJvm()}.
     */
    public static List<String> forThisJvm(Path directory) throws IOException, InterruptedException {
        String classPath = System.getProperty("java.class.path");
        if (!isExecutableJar(classPath)) {
            return forThisJvm();
        }
        return fromSmallJar(Path.of(classPath), directory);
    }

    /** As {@link #forThisJvm(Path)} for the server's executable jar {@code serverJar}. */
    public static List<String> fromSmallJar(Path serverJar, Path directory) throws IOException, InterruptedException {
        return SupervisorJvm.prepare(System.getProperty("java.home"), serverJar, directory);
    }

    /** The way before the small jar: {@code java <options> -jar <server jar> supervise}, through Spring Boot's launcher. */
    public static List<String> fromServerJar(Path serverJar) {
        return of(System.getProperty("java.home"), serverJar.toString());
    }

    static List<String> of(String javaHome, String classPath) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(javaHome, "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        if (isExecutableJar(classPath)) {
            command.add("-jar");
            command.add(classPath);
            command.add(ARGUMENT);
        } else {
            command.add("-cp");
            command.add(classPath);
            command.add(Supervisor.class.getName());
        }
        return command;
    }

    /**
     * A Spring Boot executable jar (it names a {@code Start-Class}). Other single jars on the class path,
     * like a test runner's manifest-only jar, are used with {@code -cp}.
     */
    public static boolean isExecutableJar(String classPath) {
        if (classPath == null || classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            Manifest manifest = jar.getManifest();
            return manifest != null && manifest.getMainAttributes().getValue("Start-Class") != null;
        } catch (IOException e) {
            return false;
        }
    }
}
