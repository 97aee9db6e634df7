package io.modelgate.serving.domain;

/**
 * What an operator asks for in a deployment; nulls take defaults (resources from the version's requirements).
 *
 * @param runtime {@code vllm}, {@code tensorrt-llm}, {@code custom} (with {@code servingRuntime}) or {@code container}
 * @param deploymentMode {@code RawDeployment} or {@code Serverless}
 * @param visibility {@code internal} or {@code external}
 */
public record DeploymentSpec(String versionId, String digest, String runtime, String servingRuntime,
        String modelFormat, Integer gpuCount, String gpuType, String cpu, String memory, Integer minReplicas,
        Integer maxReplicas, String scaleMetric, Integer scaleTarget, String deploymentMode, String visibility,
        Boolean auth) {
}
