package org.wikimedia.spiderpig.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A MediaWiki staging directory as scap keeps it: {@code wikiversions.json} maps each wiki to
 * {@code php-<version>}, {@code dblists/<group>.dblist} lists each group's wikis (one a line, {@code #} comments).
 * Blocking file I/O: callers run it on a scheduler of their own. Problems are {@link StagingException}s that say
 * which file and what is wrong with it.
 */
public final class StagingDirectory {

    public static final String WIKIVERSIONS = "wikiversions.json";
    private static final String PHP_PREFIX = "php-";

    private final Path directory;
    private final JsonMapper json;

    public StagingDirectory(Path directory, JsonMapper json) {
        this.directory = directory;
        this.json = json;
    }

    public Path directory() {
        return directory;
    }

    /** Each wiki's version, without scap's {@code php-} prefix, in the file's order. */
    public Map<String, String> wikiVersions() {
        Path file = directory.resolve(WIKIVERSIONS);
        JsonNode root;
        try {
            root = json.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new StagingException(file + " does not exist");
        } catch (IOException e) {
            throw new StagingException(file + " could not be read (" + e.getClass().getSimpleName() + ")");
        } catch (JacksonException e) {
            throw new StagingException(file + " is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new StagingException(file + " is not a JSON object of wikis and versions");
        }
        Map<String, String> versions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            if (!entry.getValue().isString()) {
                throw new StagingException(file + " gives " + entry.getKey() + " a version that is not a string");
            }
            String value = entry.getValue().asString();
            versions.put(entry.getKey(), value.startsWith(PHP_PREFIX) ? value.substring(PHP_PREFIX.length()) : value);
        }
        return versions;
    }

    /** The wikis of a group; {@value TrainGroups#ALL} is every group's wikis. */
    public Set<String> wikisOf(String group) {
        if (TrainGroups.ALL.equals(group)) {
            Set<String> all = new LinkedHashSet<>();
            TrainGroups.IN_ORDER.forEach(each -> all.addAll(wikisOf(each)));
            return all;
        }
        Path file = directory.resolve("dblists").resolve(group + ".dblist");
        try {
            Set<String> wikis = new LinkedHashSet<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String wiki = line.replaceFirst("#.*", "").strip();
                if (!wiki.isEmpty()) {
                    wikis.add(wiki);
                }
            }
            return wikis;
        } catch (NoSuchFileException e) {
            throw new StagingException(file + " does not exist");
        } catch (IOException e) {
            throw new StagingException(file + " could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Moves a group's wikis, except the excluded ones, to a version, as {@code scap deploy-promote} does; the file
     * is replaced in one step, so a reader never sees half of it. Answers how many wikis moved.
     */
    public int promote(String group, String version, Set<String> excluded) {
        Map<String, String> versions = wikiVersions();
        List<String> moved = new ArrayList<>();
        for (String wiki : wikisOf(group)) {
            if (!excluded.contains(wiki) && versions.containsKey(wiki) && !version.equals(versions.get(wiki))) {
                versions.put(wiki, version);
                moved.add(wiki);
            }
        }
        write(versions);
        return moved.size();
    }

    /** Writes wikiversions.json (versions without the {@code php-} prefix, which is added). */
    void write(Map<String, String> versions) {
        ObjectNode root = json.createObjectNode();
        versions.forEach((wiki, version) -> root.put(wiki, PHP_PREFIX + version));
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, ".wikiversions-", ".json");
            Files.writeString(temporary, json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
                    StandardCharsets.UTF_8);
            Files.move(temporary, directory.resolve(WIKIVERSIONS), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writeDblist(String group, List<String> wikis) {
        try {
            Files.createDirectories(directory.resolve("dblists"));
            Files.write(directory.resolve("dblists").resolve(group + ".dblist"), wikis, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A staging file that is missing or not what scap writes; the message names the file. */
    public static class StagingException extends RuntimeException {
        public StagingException(String message) {
            super(message);
        }
    }
}
