package io.modelgate.approval.domain;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.modelgate.approval.Library;
import io.modelgate.events.FunctionType;
import io.modelgate.events.ImageDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

class ModelFactsTest {

    private static final String DIGEST = Library.newDigest();

    @Test
    void modelgateKeysWinOverOciAndModelPackKeys() {
        ModelFacts facts = ModelFacts.of(Library.image(DIGEST, "models/llama", Map.of(
                "io.modelgate.model.name", "llama-3.1-8b",
                "org.opencontainers.image.title", "Llama",
                "org.cncf.model.name", "llama-pack",
                "org.opencontainers.image.version", "3.1",
                "org.cncf.model.version", "3.0",
                "org.opencontainers.image.licenses", "llama3.1",
                "org.cncf.model.param-size", "8.03B",
                "org.cncf.model.precision", "bfloat16",
                "io.modelgate.model.function-types", "Chat, image-embedding,")));
        assertThat(facts.name()).isEqualTo("llama-3.1-8b");
        assertThat(facts.version()).isEqualTo("3.1");
        assertThat(facts.license()).isEqualTo("llama3.1");
        assertThat(facts.parameterCount()).isEqualTo(8_030_000_000L);
        assertThat(facts.dtype()).isEqualTo("bfloat16");
        assertThat(facts.functionTypes()).containsExactly(FunctionType.CHAT, FunctionType.IMAGE_EMBEDDING);
        assertThat(facts.problems()).isEmpty();
    }

    @Test
    void withoutAnnotationsTheRepositoryAndTagNameTheModel() {
        ModelFacts facts = ModelFacts.of(Library.image(DIGEST, "models/plain", Map.of()));
        assertThat(facts.name()).isEqualTo("models/plain");
        assertThat(facts.version()).isEqualTo("1.0");
        assertThat(facts.functionTypes()).isEmpty();

        ImageDescriptor byDigest = Library.image(DIGEST, "registry.example.com", "models/plain", null, Map.of());
        assertThat(ModelFacts.of(byDigest).version()).isEqualTo(DIGEST);
    }

    @Test
    void labelsAreReadWhenAnnotationsAreAbsent() {
        ImageDescriptor image = new ImageDescriptor("c", "r.example.com", "m", "t", DIGEST, "r.example.com/m@" + DIGEST,
                null, null, 0, null, Map.of("org.opencontainers.image.title", "from-label"), Map.of());
        assertThat(ModelFacts.of(image).name()).isEqualTo("from-label");
    }

    @Test
    void valuesThatDoNotParseAreLeftOutAndNamed() {
        ModelFacts facts = ModelFacts.of(Library.image(DIGEST, "models/odd", Map.of(
                "io.modelgate.model.parameter-count", "lots",
                "io.modelgate.model.gpu-count", "two",
                "io.modelgate.model.context-length", "32768",
                "io.modelgate.model.function-types", "chat,telepathy")));
        assertThat(facts.parameterCount()).isNull();
        assertThat(facts.gpuCount()).isNull();
        assertThat(facts.contextLength()).isEqualTo(32768);
        assertThat(facts.functionTypes()).containsExactly(FunctionType.CHAT);
        assertThat(facts.problems()).hasSize(3)
                .anyMatch(p -> p.contains("parameter-count"))
                .anyMatch(p -> p.contains("gpu-count"))
                .anyMatch(p -> p.contains("telepathy"));
    }
}
