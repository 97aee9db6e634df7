package io.modelgate.events;

/**
 * What a model version needs to run, set in approval and applied by serving to the KServe predictor;
 * quantities are Kubernetes quantity strings and every field is optional.
 *
 * @param gpuCount number of GPUs
 * @param gpuType GPU product, e.g. {@code nvidia-l4}, used for node selection
 * @param gpuMemory GPU memory needed per GPU, e.g. {@code 24Gi}
 * @param cpu e.g. {@code 4} or {@code 500m}
 * @param memory e.g. {@code 32Gi}
 */
public record ResourceRequirements(Integer gpuCount, String gpuType, String gpuMemory, String cpu, String memory) {
}
