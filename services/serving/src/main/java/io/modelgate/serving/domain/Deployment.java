package io.modelgate.serving.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.modelgate.events.ServiceKind;

/** An approved model version deployed as a KServe InferenceService, pinned by digest. */
@Entity
@Table(name = "deployment")
public class Deployment extends ManagedService {

    @Column(name = "version_id")
    public String versionId;

    @Column(name = "model_name")
    public String modelName;

    @Column(name = "model_version")
    public String modelVersion;

    public String digest;

    @Column(name = "image_reference")
    public String imageReference;

    /** {@code vllm}, {@code tensorrt-llm}, {@code custom} or {@code container}. */
    public String runtime;

    /** The ServingRuntime or ClusterServingRuntime the predictor names; null for {@code container}. */
    @Column(name = "serving_runtime")
    public String servingRuntime;

    @Column(name = "model_format")
    public String modelFormat;

    /** {@code RawDeployment} or {@code Serverless}. */
    @Column(name = "deployment_mode")
    public String deploymentMode;

    /** {@code internal} or {@code external}. */
    public String visibility;

    @Column(name = "auth_enabled")
    public boolean authEnabled;

    @Column(name = "gpu_count")
    public Integer gpuCount;

    @Column(name = "gpu_type")
    public String gpuType;

    public String cpu;

    public String memory;

    @Column(name = "min_replicas")
    public Integer minReplicas;

    @Column(name = "max_replicas")
    public Integer maxReplicas;

    @Column(name = "scale_metric")
    public String scaleMetric;

    @Column(name = "scale_target")
    public Integer scaleTarget;

    /** Stopped after its approval was revoked (revocation action {@code stop}). */
    public boolean stopped;

    @Override
    public ServiceKind kind() {
        return ServiceKind.KSERVE;
    }

    @Override
    public String announcedModelName() {
        return modelName;
    }
}
