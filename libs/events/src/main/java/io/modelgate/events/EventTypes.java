package io.modelgate.events;

import java.util.List;
import java.util.Optional;

/** Registry of every event type Modelgate produces; consumers look up incoming {@code ce_type} headers here. */
public final class EventTypes {

    public static final EventType<RegistryImageDiscovered> REGISTRY_IMAGE_DISCOVERED = new EventType<>(
            "io.modelgate.registry.image.discovered.v1", RegistryImageDiscovered.SCHEMA_VERSION,
            RegistryImageDiscovered.class, Topics.REGISTRY_IMAGES, "/schemas/RegistryImageDiscovered.v1.json");

    public static final EventType<ScanCompleted> SCAN_COMPLETED = new EventType<>(
            "io.modelgate.scanner.scan.completed.v1", ScanCompleted.SCHEMA_VERSION, ScanCompleted.class,
            Topics.SCANNER_SCANS, "/schemas/ScanCompleted.v1.json");

    public static final EventType<ModelApproved> MODEL_APPROVED = new EventType<>(
            "io.modelgate.approval.model.approved.v1", ModelApproved.SCHEMA_VERSION, ModelApproved.class,
            Topics.APPROVAL_MODELS, "/schemas/ModelApproved.v1.json");

    public static final EventType<ModelRevoked> MODEL_REVOKED = new EventType<>(
            "io.modelgate.approval.model.revoked.v1", ModelRevoked.SCHEMA_VERSION, ModelRevoked.class,
            Topics.APPROVAL_MODELS, "/schemas/ModelRevoked.v1.json");

    public static final EventType<ServiceRegistered> SERVICE_REGISTERED = new EventType<>(
            "io.modelgate.serving.service.registered.v1", ServiceRegistered.SCHEMA_VERSION,
            ServiceRegistered.class, Topics.SERVING_SERVICES, "/schemas/ServiceRegistered.v1.json");

    public static final EventType<ServiceDeregistered> SERVICE_DEREGISTERED = new EventType<>(
            "io.modelgate.serving.service.deregistered.v1", ServiceDeregistered.SCHEMA_VERSION,
            ServiceDeregistered.class, Topics.SERVING_SERVICES, "/schemas/ServiceDeregistered.v1.json");

    private static final List<EventType<?>> ALL = List.of(REGISTRY_IMAGE_DISCOVERED, SCAN_COMPLETED,
            MODEL_APPROVED, MODEL_REVOKED, SERVICE_REGISTERED, SERVICE_DEREGISTERED);

    private EventTypes() {
    }

    /** Every registered type, in pipeline order. */
    public static List<EventType<?>> all() {
        return ALL;
    }

    /** The type for a CloudEvents {@code ce_type}; empty for an unknown type or version (which goes to the DLQ). */
    public static Optional<EventType<?>> byType(String ceType) {
        if (ceType == null) {
            return Optional.empty();
        }
        return ALL.stream().filter(t -> t.type().equals(ceType)).findFirst();
    }

    /**
     * The type of an event record class, for producers that hold an event and need its topic and
     * {@code ce_type}.
     *
     * @throws IllegalArgumentException if the class is not a registered event
     */
    @SuppressWarnings("unchecked")
    public static <T extends ModelgateEvent> EventType<T> of(Class<T> javaType) {
        return (EventType<T>) ALL.stream()
                .filter(t -> t.javaType().equals(javaType))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a registered event type: " + javaType));
    }
}
