package io.modelgate.modelsync.domain;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelgate.events.FunctionType;

import static org.assertj.core.api.Assertions.assertThat;

class ModelMappingTest {

    @Test
    void namesAreStableSanitisedAndKeepNamespaceAndNameApart() {
        assertThat(ModelMapping.aidbName("team-a/llama-3.1-chat")).isEqualTo("mg_team_a__llama_3_1_chat");
        assertThat(ModelMapping.aidbName("a/b-c")).isNotEqualTo(ModelMapping.aidbName("a-b/c"));
        assertThat(ModelMapping.aidbName("Team/X")).isEqualTo("mg_team__x");
    }

    @Test
    void providerFollowsTheFunctionTypeAndTheNimRuntime() {
        assertThat(ModelMapping.provider(List.of(FunctionType.EMBEDDING), "vllm", null)).contains("openai_embeddings");
        assertThat(ModelMapping.provider(List.of(FunctionType.CHAT), "vllm", null)).contains("openai_completions");
        assertThat(ModelMapping.provider(List.of(FunctionType.COMPLETION), null, null)).contains("openai_completions");
        assertThat(ModelMapping.provider(List.of(FunctionType.RERANK), "vllm", null)).contains("nim_reranking");
        assertThat(ModelMapping.provider(List.of(FunctionType.OCR), "custom", null)).contains("nim_paddle_ocr");
        assertThat(ModelMapping.provider(List.of(FunctionType.EMBEDDING), "nim", null)).contains("nim_embeddings");
        assertThat(ModelMapping.provider(List.of(FunctionType.CHAT), "modelgate-proxy", "nim"))
                .contains("nim_completions");
        assertThat(ModelMapping.provider(List.of(FunctionType.EMBEDDING, FunctionType.CHAT), "vllm", null))
                .contains("openai_completions");
        assertThat(ModelMapping.provider(List.of(FunctionType.UNKNOWN), "vllm", null)).isEmpty();
        assertThat(ModelMapping.provider(List.of(), "vllm", null)).isEmpty();
    }

    @Test
    void configCarriesModelUrlAndOwnershipButNoCredentials() throws Exception {
        ServedModel served = new ServedModel();
        served.serviceId = "ns/svc";
        served.aidbName = ModelMapping.aidbName(served.serviceId);
        served.functionTypes = "EMBEDDING";
        served.servedModelName = "bge";
        served.versionId = "v-1";
        served.runtime = "vllm";
        served.internalUrl = "http://svc.ns.svc/";
        served.openAiBasePath = "v1";

        DesiredModel model = ModelMapping.desired(served).orElseThrow();
        assertThat(model.config()).isEqualTo(new ObjectMapper().readTree("{\"model\": \"bge\","
                + " \"url\": \"http://svc.ns.svc/v1\", \"modelgate\": {\"owned\": true, \"serviceId\": \"ns/svc\","
                + " \"versionId\": \"v-1\"}}"));
        assertThat(ModelMapping.owned(model.config())).isTrue();
        assertThat(ModelMapping.owned(new ObjectMapper().readTree("{\"model\": \"x\"}"))).isFalse();
        assertThat(ModelMapping.owned(new ObjectMapper().readTree("{\"modelgate\": {\"owned\": false}}"))).isFalse();
    }

    @Test
    void upToDateLooksAtProviderModelUrlAndMarkerOnly() throws Exception {
        ServedModel served = new ServedModel();
        served.serviceId = "ns/svc";
        served.aidbName = ModelMapping.aidbName(served.serviceId);
        served.functionTypes = "CHAT";
        served.servedModelName = "llama";
        served.internalUrl = "http://svc.ns.svc";
        served.openAiBasePath = "/v1";
        DesiredModel model = ModelMapping.desired(served).orElseThrow();
        ObjectMapper json = new ObjectMapper();

        com.fasterxml.jackson.databind.node.ObjectNode extra = model.config().deepCopy();
        extra.put("max_tokens", 512);
        assertThat(ModelMapping.upToDate(model, "openai_completions", extra)).isTrue();
        assertThat(ModelMapping.upToDate(model, "nim_completions", model.config())).isFalse();
        assertThat(ModelMapping.upToDate(model, "openai_completions", model.config().deepCopy().put("url", "http://x")))
                .isFalse();
        assertThat(ModelMapping.upToDate(model, "openai_completions", json.readTree("{\"model\": \"llama\","
                + " \"url\": \"http://svc.ns.svc/v1\", \"modelgate\": {\"owned\": true, \"serviceId\": \"x/y\"}}")))
                .isFalse();
    }
}
