package io.modelgate.events;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An older consumer keeps reading what a newer producer writes, as long as the change is additive. */
class ForwardCompatibilityTest {

    @Test
    void unknownTopLevelFieldIsIgnoredAndStillValid() throws Exception {
        ModelApproved event = SampleEvents.modelApproved();
        ObjectNode json = EventJson.mapper().valueToTree(event);
        json.put("deploymentHints", "added in a later release");
        json.putObject("owner").put("team", "ml-platform");

        assertThat(read(json, ModelApproved.class)).isEqualTo(event);
        assertThat(Schemas.validate(EventTypes.MODEL_APPROVED, json)).isEmpty();
    }

    @Test
    void unknownNestedFieldIsIgnored() throws Exception {
        ScanCompleted event = SampleEvents.scanCompleted();
        ObjectNode json = EventJson.mapper().valueToTree(event);
        ((ObjectNode) json.get("image")).put("artifactType", "application/vnd.cncf.model.manifest.v1+json");
        ((ObjectNode) json.get("counts")).put("negligible", 4);

        assertThat(read(json, ScanCompleted.class)).isEqualTo(event);
    }

    @Test
    void unknownFunctionTypeReadsAsUnknown() throws Exception {
        ObjectNode json = EventJson.mapper().valueToTree(SampleEvents.serviceRegistered());
        ArrayNode functionTypes = json.putArray("functionTypes");
        functionTypes.add("CHAT").add("SPEECH_TO_TEXT");

        ServiceRegistered read = read(json, ServiceRegistered.class);

        assertThat(read.functionTypes()).containsExactly(FunctionType.CHAT, FunctionType.UNKNOWN);
    }

    @Test
    void unknownFunctionTypeInApprovalReadsAsUnknown() throws Exception {
        ObjectNode json = EventJson.mapper().valueToTree(SampleEvents.modelApproved());
        json.putArray("functionTypes").add("VIDEO_GENERATION");

        assertThat(read(json, ModelApproved.class).functionTypes()).isEqualTo(List.of(FunctionType.UNKNOWN));
    }

    @Test
    void unknownValueOfAnEnumWithoutDefaultIsRejected() {
        // A verdict or kind the consumer does not know must not be guessed: the record goes to the DLQ.
        ObjectNode json = EventJson.mapper().valueToTree(SampleEvents.scanCompleted());
        json.put("verdict", "WARN");

        assertThatThrownBy(() -> read(json, ScanCompleted.class)).isInstanceOf(EventFormatException.class);
    }

    @Test
    void optionalCollectionsMissingOrNullReadAsEmpty() throws Exception {
        ObjectNode json = EventJson.mapper().valueToTree(SampleEvents.serviceRegistered());
        json.remove("functionTypes");
        ObjectNode approved = EventJson.mapper().valueToTree(SampleEvents.modelApproved());
        approved.putNull("functionTypes");
        ((ObjectNode) approved.get("image")).putNull("labels");

        assertThat(read(json, ServiceRegistered.class).functionTypes()).isEmpty();
        ModelApproved read = read(approved, ModelApproved.class);
        assertThat(read.functionTypes()).isEmpty();
        assertThat(read.image().labels()).isEmpty();
    }

    private static <T> T read(ObjectNode json, Class<T> type) throws Exception {
        return EventJson.read(EventJson.mapper().writeValueAsBytes(json), type);
    }
}
