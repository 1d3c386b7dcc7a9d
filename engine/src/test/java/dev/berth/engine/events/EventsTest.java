package dev.berth.engine.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.EngineException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventsTest {
    @Test
    void replaysKeptEventsThenDeliversLiveOnesThatMatch() throws Exception {
        Events events = new Events();
        events.publish("container", "create", "abc123", Map.of("name", "web", "image", "busybox"));
        events.publish("image", "pull", "busybox:latest", Map.of("name", "busybox"));
        try (Events.Subscription sub = events.subscribe(0, EventFilter.of(Map.of("type", List.of("container"))))) {
            assertThat(sub.next(1, TimeUnit.SECONDS).action()).isEqualTo("create");
            events.publish("container", "start", "abc123", Map.of("name", "web"));
            assertThat(sub.next(1, TimeUnit.SECONDS).action()).isEqualTo("start");
            assertThat(sub.next(50, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void filtersMatchAsDockersDo() {
        Event die = new Event("container", "die", "abc123", Map.of("name", "web", "image", "busybox", "app", "x"), 1);
        Event health = new Event("container", "health_status: healthy", "abc123", Map.of("name", "web"), 1);
        assertThat(EventFilter.of(Map.of("container", List.of("web"))).test(die)).isTrue();
        assertThat(EventFilter.of(Map.of("container", List.of("abc"))).test(die)).isTrue();
        assertThat(EventFilter.of(Map.of("image", List.of("busybox"))).test(die)).isTrue();
        assertThat(EventFilter.of(Map.of("label", List.of("app=x"), "event", List.of("die", "start"))).test(die)).isTrue();
        assertThat(EventFilter.of(Map.of("label", List.of("app=y"))).test(die)).isFalse();
        assertThat(EventFilter.of(Map.of("event", List.of("health_status"))).test(health)).isTrue();
        assertThatThrownBy(() -> EventFilter.of(Map.of("colour", List.of("red")))).isInstanceOf(EngineException.class)
                .hasMessage("invalid filter 'colour'");
    }

    @Test
    void keepsABoundedNumber() throws Exception {
        Events events = new Events();
        for (int i = 0; i < Events.KEPT + 10; i++) {
            events.publish("container", "a" + i, "x", Map.of());
        }
        try (Events.Subscription sub = events.subscribe(0, e -> true)) {
            assertThat(sub.next(1, TimeUnit.SECONDS).action()).isEqualTo("a10");
        }
    }
}
