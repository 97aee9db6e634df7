package io.modelgate.serving.config;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The serving service's settings ({@code modelgate.serving.*}); the README documents each. */
@ConfigMapping(prefix = "modelgate.serving")
public interface ServingConfig {

    /** Namespace used when a request names none; empty means the Kubernetes client's namespace. */
    Optional<String> defaultNamespace();

    /** What a {@code ModelRevoked} does to the deployments of the digest: {@code delete} or {@code stop}. */
    @WithDefault("delete")
    RevocationAction revocationAction();

    Runtimes runtimes();

    Gpu gpu();

    Endpoint endpoint();

    Kubernetes kubernetes();

    External external();

    /** Revocation: delete the InferenceService, or stop it (scale to zero with {@code serving.kserve.io/stop}). */
    enum RevocationAction {
        DELETE, STOP
    }

    /** The built-in runtimes. */
    interface Runtimes {
        Vllm vllm();

        TensorrtLlm tensorrtLlm();

        /** OpenAI base path announced for {@code custom} and {@code container} deployments. */
        @WithDefault("/v1")
        String customOpenaiBasePath();
    }

    /** vLLM through KServe's ClusterServingRuntime. */
    interface Vllm {
        @WithDefault("kserve-vllmserver")
        String servingRuntime();

        @WithDefault("vLLM")
        String modelFormat();

        /** {@code vllm.entrypoints.openai.api_server} serves OpenAI at {@code /v1}. */
        @WithDefault("/v1")
        String openaiBasePath();
    }

    /** TensorRT-LLM through a ServingRuntime that serving writes into the namespace from its template. */
    interface TensorrtLlm {
        @WithDefault("modelgate-tensorrt-llm")
        String servingRuntime();

        @WithDefault("nvcr.io/nvidia/tensorrt-llm/release:1.0.0")
        String image();

        @WithDefault("/v1")
        String openaiBasePath();
    }

    /** How a GPU type becomes node selection. */
    interface Gpu {
        /** Node label matched against the requested GPU type (NVIDIA GPU feature discovery's label). */
        @WithDefault("nvidia.com/gpu.product")
        String nodeSelectorKey();

        /** Taint key tolerated by GPU deployments. */
        @WithDefault("nvidia.com/gpu")
        String tolerationKey();
    }

    /** Endpoint exposure and authentication. */
    interface Endpoint {
        /** Annotation that turns on KServe endpoint authentication (Open Data Hub's kube-rbac-proxy / Authorino). */
        @WithDefault("security.opendatahub.io/enable-auth")
        String authAnnotation();
    }

    /** Kubernetes API calls and the status watch. */
    interface Kubernetes {
        /** Attempts of a write inside the request before it is left to the background retry. */
        @WithDefault("3")
        @Min(1)
        int inlineAttempts();

        @WithDefault("100ms")
        Duration initialBackoff();

        @WithDefault("5m")
        Duration maxBackoff();

        /** How often failed or pending writes are retried in the background. */
        @WithDefault("2s")
        Duration retryInterval();

        /** Informer resync: every managed InferenceService is re-examined this often. */
        @WithDefault("10m")
        Duration resyncInterval();

        /** Off only for tests and benchmarks that drive the watch themselves. */
        @WithDefault("true")
        boolean watchEnabled();
    }

    /** External inference services behind the managed proxy. */
    interface External {
        /** The proxy's ServingRuntime, written into each namespace that hosts an external service. */
        @WithDefault("modelgate-proxy")
        String servingRuntime();

        @WithDefault("modelgate/inference-proxy:0.1.0")
        String proxyImage();

        /** ConfigMap holding the platform's JWT public key ({@code publicKey.pem}) for the proxy. */
        @WithDefault("modelgate-jwt")
        String jwtConfigMap();

        @WithDefault("10m")
        Duration healthInterval();

        @WithDefault("5s")
        Duration healthTimeout();
    }
}
