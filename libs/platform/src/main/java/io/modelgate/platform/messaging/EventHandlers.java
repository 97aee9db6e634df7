package io.modelgate.platform.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.modelgate.events.EventType;
import io.modelgate.events.EventTypes;
import io.modelgate.events.ModelgateEvent;

/**
 * The event types one consumer handles, each with its handler: typed dispatch from the {@code ce_type} header, so no
 * consumer compares type strings and an unhandled type can never be marked processed.
 */
public final class EventHandlers {

    private final Map<String, Handler<?>> byType;

    private EventHandlers(Map<String, Handler<?>> byType) {
        this.byType = Map.copyOf(byType);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The registered event type for {@code ceType}, or null when this consumer does not handle it. */
    EventType<?> typeFor(String ceType) {
        Handler<?> handler = byType.get(ceType);
        return handler == null ? null : handler.type();
    }

    void dispatch(ModelgateEvent event) {
        Handler<?> handler = byType.get(EventTypes.of(event.getClass()).type());
        handler.accept(event);
    }

    private record Handler<T extends ModelgateEvent>(EventType<T> type, Consumer<T> consumer) {
        void accept(ModelgateEvent event) {
            consumer.accept(type.javaType().cast(event));
        }
    }

    /** Collects handlers. */
    public static final class Builder {
        private final Map<String, Handler<?>> byType = new LinkedHashMap<>();

        public <T extends ModelgateEvent> Builder on(Class<T> eventClass, Consumer<T> handler) {
            EventType<T> type = EventTypes.of(eventClass);
            if (byType.putIfAbsent(type.type(), new Handler<>(type, handler)) != null) {
                throw new IllegalArgumentException("Two handlers for " + type.type());
            }
            return this;
        }

        public EventHandlers build() {
            if (byType.isEmpty()) {
                throw new IllegalStateException("A consumer needs at least one handler");
            }
            return new EventHandlers(byType);
        }
    }
}
