package org.wikimedia.spiderpig.cli;

/** One Server-Sent Event: its {@code id:} (null when it has none), {@code event:} type and {@code data:}. */
record SseEvent(String id, String type, String data) {
}
