package org.wikimedia.spiderpig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    @Test
    void fieldsUpToABlankLineMakeAnEvent() {
        assertThat(parse("id:7", "event:line", "data:{\"seq\":7}", "")).containsExactly(
                new SseEvent("7", "line", "{\"seq\":7}"));
    }

    @Test
    void oneSpaceAfterTheColonIsDroppedAndDataLinesAreJoined() {
        assertThat(parse("id: 8", "event: status", "data: one", "data:  two", "")).containsExactly(
                new SseEvent("8", "status", "one\n two"));
    }

    @Test
    void heartbeatsUnknownFieldsAndEventsWithoutDataAreSkipped() {
        assertThat(parse(": heartbeat", "", "retry: 1000", "event:nothing", "", "data:x", "")).containsExactly(
                new SseEvent(null, "message", "x"));
    }

    @Test
    void anEventCutOffBeforeItsBlankLineIsNotDelivered() {
        assertThat(parse("id:9", "event:line", "data:{}")).isEmpty();
    }

    private static List<SseEvent> parse(String... lines) {
        SseParser parser = new SseParser();
        List<SseEvent> events = new ArrayList<>();
        for (String line : lines) {
            SseEvent event = parser.accept(line);
            if (event != null) {
                events.add(event);
            }
        }
        return events;
    }
}
