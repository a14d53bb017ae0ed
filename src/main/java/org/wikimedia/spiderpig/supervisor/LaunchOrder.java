package org.wikimedia.spiderpig.supervisor;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a spare supervisor, started before its job was known, is told to run: the job's directory, how long
 * the command's leftover children may hold its output, and the command with the environment and working
 * directory a supervisor started for the job would have inherited. The server writes it to the spare's
 * stdin as length-prefixed UTF-8 strings; both ends are the same server version.
 *
 * <p>The spare inherited the server's environment, so only what the job's differs in travels: a variable
 * left as it was keeps its bytes exactly, even those that are no valid text.
 *
 * @param setVariables     variables the command's environment has, or has with another value, than the server's
 * @param removedVariables the server's variables the command's environment has not
 * @param workingDirectory null for the supervisor's own
 */
public record LaunchOrder(Path directory, long lingerMillis, List<String> command, Map<String, String> setVariables,
                          List<String> removedVariables, Path workingDirectory) {

    public LaunchOrder {
        command = List.copyOf(command);
        setVariables = Map.copyOf(setVariables);
        removedVariables = List.copyOf(removedVariables);
    }

    /** The order for {@code builder}'s command, environment and directory, told apart from this JVM's environment. */
    public static LaunchOrder of(Path directory, long lingerMillis, ProcessBuilder builder) {
        Map<String, String> inherited = System.getenv();
        Map<String, String> set = new LinkedHashMap<>();
        builder.environment().forEach((name, value) -> {
            if (!value.equals(inherited.get(name))) {
                set.put(name, value);
            }
        });
        List<String> removed = inherited.keySet().stream().filter(name -> !builder.environment().containsKey(name)).toList();
        return new LaunchOrder(directory, lingerMillis, builder.command(), set, removed,
                builder.directory() == null ? null : builder.directory().toPath());
    }

    public void writeTo(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
        writeString(data, directory.toString());
        data.writeLong(lingerMillis);
        writeString(data, workingDirectory == null ? "" : workingDirectory.toString());
        data.writeInt(command.size());
        for (String argument : command) {
            writeString(data, argument);
        }
        data.writeInt(setVariables.size());
        for (Map.Entry<String, String> variable : setVariables.entrySet()) {
            writeString(data, variable.getKey());
            writeString(data, variable.getValue());
        }
        data.writeInt(removedVariables.size());
        for (String name : removedVariables) {
            writeString(data, name);
        }
        data.flush();
    }

    /** Fails with {@link java.io.EOFException} when the input ends before a whole order. */
    public static LaunchOrder readFrom(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        Path directory = Path.of(readString(data));
        long lingerMillis = data.readLong();
        String workingDirectory = readString(data);
        List<String> command = readStrings(data);
        int variables = data.readInt();
        Map<String, String> set = new LinkedHashMap<>();
        for (int i = 0; i < variables; i++) {
            set.put(readString(data), readString(data));
        }
        List<String> removed = readStrings(data);
        return new LaunchOrder(directory, lingerMillis, command, set, removed,
                workingDirectory.isEmpty() ? null : Path.of(workingDirectory));
    }

    /** The command as the order says, for a spare that inherited the server's environment. */
    ProcessBuilder processBuilder() {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeAll(removedVariables);
        builder.environment().putAll(setVariables);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        return builder;
    }

    private static void writeString(DataOutputStream data, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        data.writeInt(bytes.length);
        data.write(bytes);
    }

    private static List<String> readStrings(DataInputStream data) throws IOException {
        int count = data.readInt();
        List<String> strings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            strings.add(readString(data));
        }
        return strings;
    }

    private static String readString(DataInputStream data) throws IOException {
        byte[] bytes = new byte[data.readInt()];
        data.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
