package dev.bascule.notify;

import dev.bascule.api.Event;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON of an event, as webhooks receive it and command hooks read it on stdin. Every key is
 * always present (null when it does not apply), so that consumers can rely on the shape.
 */
final class EventJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventJson() {}

    public static String of(Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", e.type().wireName());
        m.put("migration", e.migration());
        m.put("schema", e.schema());
        m.put("table", e.table());
        m.put("reason", e.reason());
        m.put("version", e.version());
        m.put("command", e.command());
        m.put("time", e.time().toString());
        m.put("member", e.member());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise an event", ex); // strings only: cannot happen
        }
    }
}
