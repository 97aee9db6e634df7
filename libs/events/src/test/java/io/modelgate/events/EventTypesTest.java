package io.modelgate.events;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The type registry, topics and dead-letter names that producers and consumers route by. */
class EventTypesTest {

    @Test
    void byTypeFindsEveryType() {
        for (EventType<?> type : EventTypes.all()) {
            assertThat(EventTypes.byType(type.type())).containsSame(type);
        }
    }

    @Test
    void byTypeIsEmptyForUnknownTypes() {
        assertThat(EventTypes.byType("io.modelgate.registry.image.discovered.v2")).isEmpty();
        assertThat(EventTypes.byType("com.example.something")).isEmpty();
        assertThat(EventTypes.byType("")).isEmpty();
        assertThat(EventTypes.byType(null)).isEmpty();
    }

    @Test
    void typesClassesAndSchemasAreUnique() {
        List<EventType<?>> all = EventTypes.all();
        assertThat(all).hasSize(6);
        assertThat(all).extracting(EventType::type).doesNotHaveDuplicates();
        assertThat(all).extracting(EventType::javaType).doesNotHaveDuplicates();
        assertThat(all).extracting(EventType::schemaResource).doesNotHaveDuplicates();
    }

    @Test
    void registeredTypesMatchTheArchitecture() {
        Map<Class<?>, String> topics = Map.of(RegistryImageDiscovered.class, Topics.REGISTRY_IMAGES,
                ScanCompleted.class, Topics.SCANNER_SCANS, ModelApproved.class, Topics.APPROVAL_MODELS,
                ModelRevoked.class, Topics.APPROVAL_MODELS, ServiceRegistered.class, Topics.SERVING_SERVICES,
                ServiceDeregistered.class, Topics.SERVING_SERVICES);
        List<Class<?>> registered = EventTypes.all().stream().<Class<?>>map(EventType::javaType).toList();
        assertThat(registered).containsExactlyInAnyOrderElementsOf(topics.keySet());
        for (EventType<?> type : EventTypes.all()) {
            assertThat(type.topic()).as(type.type()).isEqualTo(topics.get(type.javaType()));
            assertThat(type.type()).startsWith("io.modelgate.").endsWith(".v" + type.version());
            assertThat(Topics.class.getResource(type.schemaResource())).as(type.schemaResource()).isNotNull();
        }
        assertThat(EventTypes.MODEL_APPROVED.type()).isEqualTo("io.modelgate.approval.model.approved.v1");
        assertThat(EventTypes.SERVICE_DEREGISTERED.type()).isEqualTo("io.modelgate.serving.service.deregistered.v1");
    }

    @Test
    void versionMatchesTheRecordConstant() throws Exception {
        for (EventType<?> type : EventTypes.all()) {
            assertThat(type.javaType().getField("SCHEMA_VERSION").getInt(null)).as(type.type())
                    .isEqualTo(type.version());
        }
    }

    @Test
    void ofFindsTheTypeOfAClass() {
        EventType<ModelRevoked> type = EventTypes.of(ModelRevoked.class);
        assertThat(type).isSameAs(EventTypes.MODEL_REVOKED);
        for (EventType<?> t : EventTypes.all()) {
            assertThat(EventTypes.of(t.javaType())).isSameAs(t);
        }
    }

    @Test
    void ofRejectsUnregisteredClasses() {
        record Unregistered(java.util.UUID eventId, java.time.Instant occurredAt,
                int schemaVersion) implements ModelgateEvent {
            @Override
            public String key() {
                return "k";
            }
        }
        assertThatIllegalArgumentException().isThrownBy(() -> EventTypes.of(Unregistered.class));
        assertThatIllegalArgumentException().isThrownBy(() -> EventTypes.of(ModelgateEvent.class));
    }

    @Test
    void eventTypeRejectsInconsistentVersion() {
        assertThatIllegalArgumentException().isThrownBy(() -> new EventType<>("io.modelgate.x.v2", 1,
                ModelRevoked.class, Topics.APPROVAL_MODELS, "/schemas/X.v1.json"));
    }

    @Test
    void topics() {
        assertThat(Topics.REGISTRY_IMAGES).isEqualTo("modelgate.registry.images");
        assertThat(Topics.SCANNER_SCANS).isEqualTo("modelgate.scanner.scans");
        assertThat(Topics.APPROVAL_MODELS).isEqualTo("modelgate.approval.models");
        assertThat(Topics.SERVING_SERVICES).isEqualTo("modelgate.serving.services");
    }

    @Test
    void deadLetter() {
        assertThat(Topics.deadLetter(Topics.APPROVAL_MODELS, "serving"))
                .isEqualTo("modelgate.approval.models.dlq.serving");
        assertThatIllegalArgumentException().isThrownBy(() -> Topics.deadLetter(Topics.APPROVAL_MODELS, " "));
        assertThatIllegalArgumentException().isThrownBy(() -> Topics.deadLetter("", "serving"));
        assertThatIllegalArgumentException().isThrownBy(() -> Topics.deadLetter(null, "serving"));
        assertThatIllegalArgumentException().isThrownBy(() -> Topics.deadLetter(Topics.SCANNER_SCANS, null));
    }
}
