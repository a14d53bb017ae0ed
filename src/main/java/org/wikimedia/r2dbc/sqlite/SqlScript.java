package org.wikimedia.r2dbc.sqlite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SQL text split into SQLite statements, with each statement's parameters numbered exactly as SQLite numbers
 * them ({@code ?} takes the next index, {@code ?NNN} index NNN, {@code :name @name $name} the next index at first
 * use), so that R2DBC bind index {@code i} is SQLite parameter {@code i + 1}.
 */
final class SqlScript {

    private static final int CACHE_LIMIT = 2048;
    private static final java.util.Set<String> WRITE_WORDS = java.util.Set.of("INSERT", "UPDATE", "DELETE", "REPLACE");
    private static final Map<String, SqlScript> CACHE = new ConcurrentHashMap<>();

    final List<Part> parts;
    /** Highest parameter index over all parts (parts of a compound statement share the bindings). */
    final int parameterCount;
    /** Parameter names as written ({@code :id}) and without their prefix ({@code id}), to 0-based index. */
    final Map<String, Integer> names;

    private SqlScript(List<Part> parts) {
        this.parts = parts;
        int count = 0;
        Map<String, Integer> allNames = new LinkedHashMap<>();
        for (Part part : parts) {
            count = Math.max(count, part.parameterCount);
            part.names.forEach((name, index) -> {
                allNames.putIfAbsent(name, index);
                allNames.putIfAbsent(name.substring(1), index);
            });
        }
        this.parameterCount = count;
        this.names = Collections.unmodifiableMap(allNames);
        for (Part part : parts) {
            part.names.forEach((name, index) -> part.sourceIndex[index] = allNames.get(name));
        }
    }

    static SqlScript parse(String sql) {
        SqlScript cached = CACHE.get(sql);
        if (cached != null) {
            return cached;
        }
        SqlScript script = new SqlScript(split(sql));
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.put(sql, script);
        return script;
    }

    /** One SQLite statement. */
    static final class Part {
        final String sql;
        final String firstKeyword;
        /** Whether INSERT, UPDATE, DELETE or REPLACE appears anywhere (a WITH may end in any of them). */
        final boolean writes;
        /** Whether the SQL itself has a RETURNING clause. */
        final boolean returning;
        final int parameterCount;
        final Map<String, Integer> names;
        /** For each of this part's parameters, the index of the statement's binding that feeds it. */
        final int[] sourceIndex;

        Part(String sql, String firstKeyword, boolean writes, boolean returning, int parameterCount,
             Map<String, Integer> names) {
            this.sql = sql;
            this.firstKeyword = firstKeyword;
            this.writes = writes;
            this.returning = returning;
            this.parameterCount = parameterCount;
            this.names = names;
            this.sourceIndex = new int[parameterCount];
            for (int i = 0; i < parameterCount; i++) {
                sourceIndex[i] = i;
            }
        }

        /** True when the statement cannot write, so it may run on a read-only connection. */
        boolean isQuery() {
            return firstKeyword.equals("SELECT") || firstKeyword.equals("VALUES")
                || firstKeyword.equals("WITH") && !writes;
        }

        /** An INSERT, UPDATE, DELETE or REPLACE without RETURNING: it never returns rows. */
        boolean isPlainDataChange() {
            return !returning && (firstKeyword.equals("INSERT") || firstKeyword.equals("UPDATE")
                || firstKeyword.equals("DELETE") || firstKeyword.equals("REPLACE"));
        }

        boolean changesSchema() {
            return firstKeyword.equals("CREATE") || firstKeyword.equals("DROP") || firstKeyword.equals("ALTER");
        }

        /** Statements that return rows only because of RETURNING report the rows as updated rows. */
        boolean isDataChange() {
            switch (firstKeyword) {
                case "INSERT":
                case "UPDATE":
                case "DELETE":
                case "REPLACE":
                    return true;
                case "WITH":
                    return writes;
                default:
                    return false;
            }
        }

        String withReturning(String[] columns) {
            String returning = columns.length == 0 ? "*" : String.join(", ", columns);
            return sql + " RETURNING " + returning;
        }
    }

    private static List<Part> split(String sql) {
        List<Part> parts = new ArrayList<>();
        int length = sql.length();
        int start = 0;
        int i = 0;
        int maxIndex = 0;
        Map<String, Integer> names = new LinkedHashMap<>();
        String firstKeyword = null;
        boolean trigger = false;
        boolean writes = false;
        boolean returning = false;
        String previousWord = null;
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, c);
            } else if (c == '[') {
                int end = sql.indexOf(']', i + 1);
                i = end < 0 ? length : end + 1;
            } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? length : end + 1;
            } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? length : end + 2;
            } else if (c == '?') {
                int j = i + 1;
                while (j < length && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                if (j == i + 1) {
                    maxIndex++;
                } else {
                    int index = Integer.parseInt(sql.substring(i + 1, j));
                    if (index < 1) {
                        throw new IllegalArgumentException("Invalid parameter ?" + index + " in: " + sql);
                    }
                    maxIndex = Math.max(maxIndex, index);
                }
                i = j;
            } else if ((c == ':' || c == '@' || c == '$') && i + 1 < length && isIdentifierPart(sql.charAt(i + 1))) {
                int j = i + 1;
                while (j < length && (isIdentifierPart(sql.charAt(j)) || sql.charAt(j) == ':' && j + 1 < length
                    && sql.charAt(j + 1) == ':')) {
                    j += sql.charAt(j) == ':' ? 2 : 1;
                }
                String name = sql.substring(i, j);
                if (!names.containsKey(name)) {
                    maxIndex++;
                    names.put(name, maxIndex - 1);
                }
                i = j;
            } else if (isIdentifierStart(c)) {
                int j = i + 1;
                while (j < length && isIdentifierPart(sql.charAt(j))) {
                    j++;
                }
                String word = sql.substring(i, j).toUpperCase(Locale.ROOT);
                if (firstKeyword == null) {
                    firstKeyword = word;
                }
                if (WRITE_WORDS.contains(word)) {
                    writes = true;
                }
                if ("RETURNING".equals(word)) {
                    returning = true;
                }
                if ("TRIGGER".equals(word) && "CREATE".equals(firstKeyword)) {
                    trigger = true;
                }
                previousWord = word;
                i = j;
            } else if (c == ';') {
                // Inside CREATE TRIGGER ... BEGIN ... END the body's semicolons do not end the statement.
                if (!trigger || "END".equals(previousWord)) {
                    addPart(parts, sql.substring(start, i), firstKeyword, writes, returning, maxIndex, names);
                    start = i + 1;
                    writes = false;
                    returning = false;
                    maxIndex = 0;
                    names = new LinkedHashMap<>();
                    firstKeyword = null;
                    trigger = false;
                }
                previousWord = ";";
                i++;
            } else {
                i++;
            }
        }
        addPart(parts, sql.substring(start), firstKeyword, writes, returning, maxIndex, names);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("SQL contains no statement: '" + sql + "'");
        }
        return Collections.unmodifiableList(parts);
    }

    private static void addPart(List<Part> parts, String sql, String firstKeyword, boolean writes,
                                boolean returning, int maxIndex, Map<String, Integer> names) {
        if (firstKeyword == null) {
            return;
        }
        parts.add(new Part(sql.strip(), firstKeyword, writes, returning, maxIndex, Collections.unmodifiableMap(names)));
    }

    private static int skipQuoted(String sql, int i, char quote) {
        int j = i + 1;
        while (j < sql.length()) {
            if (sql.charAt(j) == quote) {
                if (j + 1 < sql.length() && sql.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return j;
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
