package dev.berth.api.routes;

import dev.berth.api.http.ResponseStream;
import dev.berth.api.http.Router;
import dev.berth.engine.container.Timestamps;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventFilter;
import dev.berth.engine.events.Events;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * GET /events: kept events from {@code since}, then live ones, as one JSON object per line,
 * until {@code until} passes or the client goes away (docker's stream).
 */
public final class EventRoutes {
    private EventRoutes() {}

    public static void register(Router router, Events events) {
        router.get("/events", (req, res) -> {
            String since = req.query().get("since"), until = req.query().get("until");
            long sinceNano = since == null || since.isEmpty() ? -1 : nanos(Timestamps.parse(since));
            long untilNano = until == null || until.isEmpty() ? Long.MAX_VALUE : nanos(Timestamps.parse(until));
            try (Events.Subscription sub = events.subscribe(sinceNano, EventFilter.of(req.query().filters()));
                 ResponseStream out = res.stream(200, "application/json")) {
                out.flush();
                for (;;) {
                    Event e = sub.next(200, TimeUnit.MILLISECONDS);
                    if (e != null) {
                        if (e.timeNano() <= untilNano) {
                            out.writeJson(json(e));
                        }
                    } else if (out.clientGone() || System.currentTimeMillis() * 1_000_000L > untilNano) {
                        break; // replayed events come first, so an until in the past still gets them
                    }
                }
            }
        });
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** docker's event JSON, with the pre-1.22 status/id/from fields old clients still read. */
    static Map<String, Object> json(Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (e.type().equals("container")) {
            m.put("status", e.action());
            m.put("id", e.actorId());
            m.put("from", e.attributes().getOrDefault("image", ""));
        }
        m.put("Type", e.type());
        m.put("Action", e.action());
        m.put("Actor", Map.of("ID", e.actorId(), "Attributes", e.attributes()));
        m.put("scope", "local");
        m.put("time", e.timeNano() / 1_000_000_000L);
        m.put("timeNano", e.timeNano());
        return m;
    }
}
