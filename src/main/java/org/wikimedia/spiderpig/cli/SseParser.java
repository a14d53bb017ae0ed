package org.wikimedia.spiderpig.cli;

/**
 * Turns the lines of a {@code text/event-stream} into events, as the HTML Living Standard describes:
 * fields up to a blank line make an event, one space after the colon is dropped, {@code data:} lines
 * are joined with newlines, comment lines (the server's heartbeats) and unknown fields are skipped.
 */
final class SseParser {

    private String id;
    private String type;
    private StringBuilder data;

    /** Takes the next line (without its end of line); returns the event a blank line completes, else null. */
    SseEvent accept(String line) {
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return null;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> id = value;
            case "event" -> type = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {
                // "retry" and fields of the future: nothing this client needs
            }
        }
        return null;
    }

    private SseEvent dispatch() {
        SseEvent event = data == null ? null : new SseEvent(id, type == null ? "message" : type, data.toString());
        id = null;
        type = null;
        data = null;
        return event;
    }
}
