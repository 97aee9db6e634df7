package io.modelgate.serving.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.modelgate.serving.config.ServingConfig;
import io.modelgate.serving.domain.Deployment;
import io.modelgate.serving.domain.ExternalService;

/**
 * Builds the Kubernetes objects serving writes from the YAML templates in {@code src/main/resources/kserve}, patched in
 * code: the model pinned by digest, labels linking the object to its row, model and version.
 */
@ApplicationScoped
public class KServeObjects {

    public static final ResourceDefinitionContext INFERENCE_SERVICE = new ResourceDefinitionContext.Builder()
            .withGroup("serving.kserve.io")
            .withVersion("v1beta1")
            .withKind("InferenceService")
            .withPlural("inferenceservices")
            .withNamespaced(true)
            .build();
    public static final ResourceDefinitionContext SERVING_RUNTIME = new ResourceDefinitionContext.Builder()
            .withGroup("serving.kserve.io")
            .withVersion("v1alpha1")
            .withKind("ServingRuntime")
            .withPlural("servingruntimes")
            .withNamespaced(true)
            .build();
    public static final ResourceDefinitionContext CLUSTER_SERVING_RUNTIME = new ResourceDefinitionContext.Builder()
            .withGroup("serving.kserve.io")
            .withVersion("v1alpha1")
            .withKind("ClusterServingRuntime")
            .withPlural("clusterservingruntimes")
            .withNamespaced(false)
            .build();

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "modelgate";
    public static final String LABEL_KIND = "modelgate.io/kind";
    public static final String LABEL_ID = "modelgate.io/id";
    public static final String LABEL_VERSION_ID = "modelgate.io/version-id";
    public static final String LABEL_MODEL = "modelgate.io/model";
    public static final String LABEL_DIGEST = "modelgate.io/digest";
    public static final String ANNOTATION_DIGEST = "modelgate.io/digest";
    public static final String ANNOTATION_VERSION_ID = "modelgate.io/version-id";
    public static final String ANNOTATION_VERSION = "modelgate.io/version";
    public static final String ANNOTATION_MODEL_NAME = "modelgate.io/model-name";
    public static final String ANNOTATION_REVISION = "modelgate.io/revision";
    public static final String ANNOTATION_PROVIDER = "modelgate.io/provider";
    public static final String ANNOTATION_API_VERSION = "modelgate.io/api-version";
    public static final String DEPLOYMENT_MODE = "serving.kserve.io/deploymentMode";
    public static final String STOP = "serving.kserve.io/stop";
    public static final String KSERVE_VISIBILITY = "networking.kserve.io/visibility";
    public static final String KNATIVE_VISIBILITY = "networking.knative.dev/visibility";
    public static final String KIND_DEPLOYMENT = "deployment";
    public static final String KIND_EXTERNAL = "external";
    public static final String SECRET_KEY = "api-key";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final ServingConfig config;
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    public KServeObjects(ServingConfig config) {
        this.config = config;
    }

    /** The InferenceService of a deployment. */
    public GenericKubernetesResource inferenceService(Deployment d) {
        ObjectNode isvc = template("inferenceservice.yaml");
        ObjectNode metadata = metadata(isvc, d.namespace, d.name);
        ObjectNode labels = (ObjectNode) metadata.get("labels");
        labels.put(LABEL_KIND, KIND_DEPLOYMENT);
        labels.put(LABEL_ID, d.id.toString());
        labels.put(LABEL_VERSION_ID, labelValue(d.versionId));
        labels.put(LABEL_MODEL, labelValue(d.modelName));
        labels.put(LABEL_DIGEST, labelValue(d.digest.substring(d.digest.indexOf(':') + 1)));
        visibility(labels, d.visibility, d.deploymentMode);
        ObjectNode annotations = (ObjectNode) metadata.get("annotations");
        annotations.put(DEPLOYMENT_MODE, d.deploymentMode);
        annotations.put(ANNOTATION_DIGEST, d.digest);
        annotations.put(ANNOTATION_VERSION_ID, d.versionId);
        annotations.put(ANNOTATION_VERSION, d.modelVersion);
        annotations.put(ANNOTATION_MODEL_NAME, d.modelName);
        annotations.put(ANNOTATION_REVISION, Long.toString(d.specRevision));
        if (d.authEnabled) {
            annotations.put(config.endpoint().authAnnotation(), "true");
        }
        if (d.stopped) {
            annotations.put(STOP, "true");
        }

        ObjectNode predictor = (ObjectNode) isvc.get("spec").get("predictor");
        if (d.minReplicas != null) {
            predictor.put("minReplicas", d.minReplicas);
        }
        if (d.maxReplicas != null) {
            predictor.put("maxReplicas", d.maxReplicas);
        }
        if (d.scaleMetric != null) {
            predictor.put("scaleMetric", d.scaleMetric);
        }
        if (d.scaleTarget != null) {
            predictor.put("scaleTarget", d.scaleTarget);
        }
        boolean gpus = d.gpuCount != null && d.gpuCount > 0;
        if (gpus && d.gpuType != null) {
            predictor.putObject("nodeSelector").put(config.gpu().nodeSelectorKey(), d.gpuType);
        }
        if (gpus) {
            predictor.putArray("tolerations")
                    .addObject()
                    .put("key", config.gpu().tolerationKey())
                    .put("operator", "Exists")
                    .put("effect", "NoSchedule");
        }
        ObjectNode resources = resources(d);
        if ("container".equals(d.runtime)) {
            // A self-contained serving image: the approved image is the server, pinned by digest.
            predictor.remove("model");
            ObjectNode container = predictor.putArray("containers").addObject();
            container.put("name", "kserve-container");
            container.put("image", d.imageReference);
            container.putArray("ports").addObject().put("containerPort", 8080).put("protocol", "TCP");
            container.set("resources", resources);
        } else {
            ObjectNode model = (ObjectNode) predictor.get("model");
            ((ObjectNode) model.get("modelFormat")).put("name", d.modelFormat);
            model.put("runtime", d.servingRuntime);
            // A modelcar: KServe pulls the approved OCI image by digest and mounts the model at /mnt/models.
            model.put("storageUri", "oci://" + d.imageReference);
            model.set("resources", resources);
        }
        return toResource(isvc);
    }

    /** The InferenceService running the managed proxy for an external service; holds no credential. */
    public GenericKubernetesResource proxyInferenceService(ExternalService e) {
        ObjectNode isvc = template("inferenceservice-proxy.yaml");
        ObjectNode metadata = metadata(isvc, e.namespace, e.name);
        ObjectNode labels = (ObjectNode) metadata.get("labels");
        labels.put(LABEL_KIND, KIND_EXTERNAL);
        labels.put(LABEL_ID, e.id.toString());
        labels.put(LABEL_MODEL, labelValue(e.modelName));
        visibility(labels, e.visibility, "RawDeployment");
        ObjectNode annotations = (ObjectNode) metadata.get("annotations");
        annotations.put(ANNOTATION_PROVIDER, e.provider);
        annotations.put(ANNOTATION_MODEL_NAME, e.modelName);
        annotations.put(ANNOTATION_REVISION, Long.toString(e.specRevision));
        if (e.apiVersion != null) {
            annotations.put(ANNOTATION_API_VERSION, e.apiVersion);
        }
        ObjectNode predictor = (ObjectNode) isvc.get("spec").get("predictor");
        ObjectNode model = (ObjectNode) predictor.get("model");
        model.put("runtime", config.external().servingRuntime());
        ArrayNode env = model.putArray("env");
        env.addObject().put("name", "MODELGATE_PROXY_UPSTREAM_URL").put("value", e.endpointUrl);
        env.addObject().put("name", "MODELGATE_PROXY_PROVIDER").put("value", e.provider);
        env.addObject().put("name", "MODELGATE_PROXY_MODEL").put("value", e.modelName);
        ArrayNode volumes = (ArrayNode) predictor.get("volumes");
        ((ObjectNode) volumes.get(0).get("secret")).put("secretName", e.secretName);
        ((ObjectNode) volumes.get(1).get("configMap")).put("name", config.external().jwtConfigMap());
        return toResource(isvc);
    }

    /** The namespaced ServingRuntime for TensorRT-LLM. */
    public GenericKubernetesResource tensorrtLlmRuntime(String namespace) {
        ObjectNode runtime = template("servingruntime-tensorrt-llm.yaml");
        metadata(runtime, namespace, config.runtimes().tensorrtLlm().servingRuntime());
        ((ObjectNode) runtime.get("spec").get("containers").get(0)).put("image",
                config.runtimes().tensorrtLlm().image());
        return toResource(runtime);
    }

    /** The namespaced {@code modelgate-proxy} ServingRuntime of the inference-proxy contract. */
    public GenericKubernetesResource proxyRuntime(String namespace) {
        ObjectNode runtime = template("servingruntime-modelgate-proxy.yaml");
        ObjectNode metadata = metadata(runtime, namespace, config.external().servingRuntime());
        ((ObjectNode) metadata.get("labels")).put(MANAGED_BY, MANAGED_BY_VALUE);
        ((ObjectNode) runtime.get("spec").get("containers").get(0)).put("image", config.external().proxyImage());
        return toResource(runtime);
    }

    /** The Secret name of an external service's provider key. */
    public static String secretName(String serviceName) {
        return serviceName + "-provider-key";
    }

    /**
     * A label value from any string: characters outside {@code [A-Za-z0-9._-]} become {@code -}, at most 63 characters,
     * alphanumeric at both ends (the Kubernetes label value grammar).
     */
    public static String labelValue(String value) {
        String cleaned = value.replaceAll("[^A-Za-z0-9._-]", "-");
        if (cleaned.length() > 63) {
            cleaned = cleaned.substring(0, 63);
        }
        cleaned = cleaned.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
        return cleaned;
    }

    private void visibility(ObjectNode labels, String visibility, String deploymentMode) {
        if ("external".equals(visibility)) {
            labels.put(KSERVE_VISIBILITY, "exposed");
        } else if ("Serverless".equals(deploymentMode)) {
            // Knative exposes a Serverless route on the ingress unless it is marked cluster-local.
            labels.put(KNATIVE_VISIBILITY, "cluster-local");
        }
    }

    private static ObjectNode resources(Deployment d) {
        ObjectNode resources = YAML.createObjectNode();
        ObjectNode requests = resources.putObject("requests");
        ObjectNode limits = resources.putObject("limits");
        if (d.cpu != null) {
            requests.put("cpu", d.cpu);
            limits.put("cpu", d.cpu);
        }
        if (d.memory != null) {
            requests.put("memory", d.memory);
            limits.put("memory", d.memory);
        }
        if (d.gpuCount != null && d.gpuCount > 0) {
            // Extended resources must have equal requests and limits.
            requests.put("nvidia.com/gpu", Integer.toString(d.gpuCount));
            limits.put("nvidia.com/gpu", Integer.toString(d.gpuCount));
        }
        if (requests.isEmpty()) {
            resources.remove("requests");
            resources.remove("limits");
        }
        return resources;
    }

    private static ObjectNode metadata(ObjectNode object, String namespace, String name) {
        ObjectNode metadata = (ObjectNode) object.get("metadata");
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        if (!metadata.has("labels")) {
            metadata.putObject("labels");
        }
        if (!metadata.has("annotations")) {
            metadata.putObject("annotations");
        }
        return metadata;
    }

    private GenericKubernetesResource toResource(ObjectNode node) {
        return serialization.convertValue(node, GenericKubernetesResource.class);
    }

    private static ObjectNode template(String name) {
        try (InputStream in = KServeObjects.class.getResourceAsStream("/kserve/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing template kserve/" + name);
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
