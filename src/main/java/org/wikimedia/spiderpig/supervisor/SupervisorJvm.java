package org.wikimedia.spiderpig.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The supervisors' own small jar and class data archive, made once per server version in a directory of
 * their own. Started from the server's 70 MB executable jar, each supervisor would first run Spring Boot's
 * launcher over all its nested jars; from a jar of the supervisor package alone (which needs only the JDK),
 * with its classes pre-parsed in a CDS archive ({@code -XX:SharedArchiveFile}, made by one training run
 * with {@code -XX:ArchiveClassesAtExit}), it starts on less than half the CPU time and less memory (see
 * docs/benchmarks/supervisor.md). Both files are named by their content (and the JDK), written beside and
 * then renamed into place, and never rewritten: a supervisor of an earlier version keeps its own.
 */
final class SupervisorJvm {

    private static final String PACKAGE = Supervisor.class.getPackageName().replace('.', '/') + "/";
    private static final String SERVER_CLASSES = "BOOT-INF/classes/";
    private static final long TRAINING_SECONDS = 60;

    private SupervisorJvm() {
    }

    /** {@code java <options> [-XX:SharedArchiveFile=…] -cp <small jar> Supervisor}, the files made if need be. */
    static List<String> prepare(String javaHome, Path serverJar, Path directory) throws IOException, InterruptedException {
        byte[] content = supervisorJar(serverJar);
        String java = Path.of(javaHome, "bin", "java").toString();
        Files.createDirectories(directory);
        Path jar = directory.resolve("supervisor-" + hash(content) + ".jar");
        if (!Files.exists(jar)) {
            writeAtomically(jar, content);
        }
        Path archive = directory.resolve("supervisor-" + hash((hash(content) + javaHome
                + System.getProperty("java.vm.version")).getBytes(StandardCharsets.UTF_8)) + ".jsa");
        if (!Files.exists(archive)) {
            train(java, jar, archive, directory);
        }
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(SupervisorCommand.JVM_OPTIONS);
        if (Files.exists(archive)) {
            command.add("-XX:SharedArchiveFile=" + archive);
        }
        command.add("-cp");
        command.add(jar.toString());
        command.add(Supervisor.class.getName());
        return command;
    }

    /** A jar of the supervisor package's classes, taken from the server's executable jar; the same bytes each time. */
    static byte[] supervisorJar(Path serverJar) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int classes = 0;
        try (JarFile server = new JarFile(serverJar.toFile()); ZipOutputStream out = new ZipOutputStream(bytes)) {
            Enumeration<JarEntry> entries = server.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (!entry.isDirectory() && entry.getName().startsWith(SERVER_CLASSES + PACKAGE)) {
                    ZipEntry copy = new ZipEntry(entry.getName().substring(SERVER_CLASSES.length()));
                    copy.setTime(0); // the same jar, and name, for the same classes
                    out.putNextEntry(copy);
                    try (InputStream in = server.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                    classes++;
                }
            }
        }
        if (classes == 0) {
            throw new IOException(serverJar + " holds no classes of " + PACKAGE);
        }
        return bytes.toByteArray();
    }

    /** One supervisor of {@code true}, dumping the classes it loaded; no archive if that fails. */
    private static void train(String java, Path jar, Path archive, Path directory) throws IOException, InterruptedException {
        Path scratch = Files.createTempDirectory(directory, "training-");
        Files.createDirectories(scratch.resolve("job"));
        Path dumped = directory.resolve(archive.getFileName() + "." + ProcessHandle.current().pid() + ".new");
        try {
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(SupervisorCommand.JVM_OPTIONS);
            command.add("-XX:ArchiveClassesAtExit=" + dumped);
            command.addAll(List.of("-cp", jar.toString(), Supervisor.class.getName(), scratch.resolve("job").toString(),
                    "1000", "--", "true"));
            Process training = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!training.waitFor(TRAINING_SECONDS, TimeUnit.SECONDS)) {
                training.destroyForcibly();
                return;
            }
            if (training.exitValue() == 0 && Files.size(dumped) > 0) {
                Files.move(dumped, archive, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            // No archive: supervisors start without it, only slower.
        } finally {
            Files.deleteIfExists(dumped);
            SupervisorFiles.removeTree(scratch);
        }
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".new");
        Files.write(next, content);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String hash(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
