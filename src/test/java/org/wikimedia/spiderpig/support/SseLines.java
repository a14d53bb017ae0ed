package org.wikimedia.spiderpig.support;

import java.io.BufferedReader;
import java.io.IOException;

/** The raw lines of a {@code text/event-stream} as curl -N shows them, read into events until the server closes it. */
public final class SseLines {

    /** One event as it came: {@code id:} (null when it had none), {@code event:} and the joined {@code data:}. */
    public interface EventHandler {
        void event(Long id, String type, String data);
    }

    private SseLines() {
    }

    /** Hands each complete event (one that has an {@code event:} line) to {@code handler}, in order. */
    public static void read(BufferedReader lines, EventHandler handler) throws IOException {
        Long id = null;
        String type = null;
        StringBuilder data = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isEmpty()) {
                if (type != null) {
                    handler.event(id, type, data.toString());
                }
                id = null;
                type = null;
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = Long.parseLong(line.substring(3).trim());
            } else if (line.startsWith("event:")) {
                type = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5));
            }
        }
    }
}
