package io.modelgate.deployment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.modelgate.deployment.Kustomizations.Resource;

/** Cross-reference checks over a set of objects: what a real cluster would only reveal at run time. */
final class ManifestChecks {

    static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet");

    /** Settings every service reads from the environment (libs/platform microprofile-config.properties). */
    static final Set<String> PLATFORM_ENV = Set.of("MODELGATE_DB_URL", "MODELGATE_DB_USER", "MODELGATE_DB_PASSWORD",
            "MODELGATE_KAFKA_BOOTSTRAP_SERVERS", "OTEL_EXPORTER_OTLP_ENDPOINT", "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
            "MODELGATE_JWT_ISSUER");

    private static final Pattern REQUIRED_ENV = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):}");
    private static final Pattern EXPOSE = Pattern.compile("(?m)^EXPOSE\\s+(\\d+)");
    private static final Pattern HTTP_PORT = Pattern.compile("(?m)^quarkus\\.http\\.port=(\\d+)");

    /** Secrets and ConfigMaps the manifests use but do not contain: name → keys. */
    private final Map<String, Set<String>> externalSecrets;
    private final Map<String, Set<String>> externalConfigMaps;

    ManifestChecks(Map<String, Set<String>> externalSecrets, Map<String, Set<String>> externalConfigMaps) {
        this.externalSecrets = externalSecrets;
        this.externalConfigMaps = externalConfigMaps;
    }

    List<String> all(List<Resource> resources) {
        List<String> problems = new ArrayList<>();
        problems.addAll(schemas(resources));
        problems.addAll(uniqueness(resources));
        problems.addAll(workloads(resources));
        problems.addAll(services(resources));
        problems.addAll(disruptionBudgetsAndAutoscalers(resources));
        problems.addAll(bindings(resources));
        return problems;
    }

    static List<String> schemas(List<Resource> resources) {
        List<String> problems = new ArrayList<>();
        for (Resource r : resources) {
            for (String violation : StrictSchemas.violations(r.node())) {
                problems.add(r.origin() + " " + r.id() + ": " + violation);
            }
        }
        return problems;
    }

    static List<String> uniqueness(List<Resource> resources) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Resource r : resources) {
            if (!seen.add(r.id())) {
                problems.add(r.origin() + ": " + r.id() + " defined twice");
            }
        }
        return problems;
    }

    List<String> workloads(List<Resource> resources) {
        List<String> problems = new ArrayList<>();
        for (Resource w : of(resources, WORKLOADS)) {
            String at = w.origin() + " " + w.id();
            JsonNode template = w.node().path("spec").path("template");
            JsonNode pod = template.path("spec");
            JsonNode labels = template.path("metadata").path("labels");
            if (!selects(w.node().path("spec").path("selector").path("matchLabels"), labels)) {
                problems.add(at + ": selector does not match the pod template's labels");
            }
            String account = pod.path("serviceAccountName").asText();
            if (account.isEmpty() || find(resources, "ServiceAccount", account).isEmpty()) {
                problems.add(at + ": service account '" + account + "' is not defined");
            }
            if (!pod.path("securityContext").path("runAsNonRoot").asBoolean(false)) {
                problems.add(at + ": pod securityContext.runAsNonRoot is not true");
            }
            Map<String, JsonNode> volumes = new HashMap<>();
            pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
            w.node()
                    .path("spec")
                    .path("volumeClaimTemplates")
                    .forEach(v -> volumes.put(v.path("metadata").path("name").asText(), v));
            for (JsonNode volume : pod.path("volumes")) {
                problems.addAll(volumeReferences(at, volume, resources));
            }
            Set<Integer> ports = new HashSet<>();
            for (JsonNode container : pod.path("containers")) {
                problems.addAll(container(at, w, container, volumes, ports, resources));
            }
            JsonNode annotations = template.path("metadata").path("annotations");
            if (!"true".equals(annotations.path("prometheus.io/scrape").asText())
                    || !"/q/metrics".equals(annotations.path("prometheus.io/path").asText())
                    || !ports.contains(annotations.path("prometheus.io/port").asInt(-1))) {
                problems.add(at + ": pod template lacks prometheus.io/scrape \"true\", /path /q/metrics and a /port"
                        + " that the container listens on");
            }
        }
        return problems;
    }

    private List<String> container(String workload, Resource w, JsonNode container, Map<String, JsonNode> volumes,
            Set<Integer> podPorts, List<Resource> resources) {
        List<String> problems = new ArrayList<>();
        String at = workload + " container " + container.path("name").asText();
        Map<String, Integer> ports = new HashMap<>();
        for (JsonNode port : container.path("ports")) {
            ports.put(port.path("name").asText(), port.path("containerPort").asInt());
            podPorts.add(port.path("containerPort").asInt());
        }
        Map<String, String> probes = Map.of("readinessProbe", "/q/health/ready", "livenessProbe", "/q/health/live",
                "startupProbe", "/q/health/started");
        for (Map.Entry<String, String> probe : probes.entrySet()) {
            JsonNode get = container.path(probe.getKey()).path("httpGet");
            if (get.isMissingNode()) {
                if (!probe.getKey().equals("startupProbe")) {
                    problems.add(at + ": no " + probe.getKey());
                }
                continue;
            }
            if (!probe.getValue().equals(get.path("path").asText())) {
                problems.add(at + ": " + probe.getKey() + " path is " + get.path("path").asText() + ", not "
                        + probe.getValue());
            }
            JsonNode port = get.path("port");
            boolean resolves = port.isInt() ? ports.containsValue(port.asInt()) : ports.containsKey(port.asText());
            if (!resolves) {
                problems.add(at + ": " + probe.getKey() + " port " + port.asText()
                        + " is not a port of the container");
            }
        }
        for (String part : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                if (container.path("resources").path(part).path(resource).isMissingNode()) {
                    problems.add(at + ": no resources." + part + "." + resource);
                }
            }
        }
        JsonNode security = container.path("securityContext");
        boolean dropsAll = false;
        for (JsonNode drop : security.path("capabilities").path("drop")) {
            dropsAll |= drop.asText().equals("ALL");
        }
        if (security.path("allowPrivilegeEscalation").asBoolean(true) || !dropsAll
                || !security.path("readOnlyRootFilesystem").asBoolean(false)) {
            problems.add(at + ": securityContext must forbid privilege escalation, drop ALL capabilities and make "
                    + "the root filesystem read-only");
        }
        Map<String, String> mounts = new HashMap<>();
        for (JsonNode mount : container.path("volumeMounts")) {
            String name = mount.path("name").asText();
            mounts.put(mount.path("mountPath").asText(), name);
            if (!volumes.containsKey(name)) {
                problems.add(at + ": volumeMount " + name + " names no volume");
            }
        }
        // A read-only root filesystem leaves Quarkus and the JVM nowhere to write but a /tmp volume.
        String tmp = mounts.get("/tmp");
        if (tmp == null || !volumes.containsKey(tmp) || volumes.get(tmp).path("emptyDir").isMissingNode()) {
            problems.add(at + ": no emptyDir mounted at /tmp");
        }
        Map<String, String> env = new HashMap<>();
        for (JsonNode var : container.path("env")) {
            String name = var.path("name").asText();
            if (env.put(name, var.path("value").asText(null)) != null) {
                problems.add(at + ": env " + name + " set twice");
            }
            JsonNode secret = var.path("valueFrom").path("secretKeyRef");
            if (!secret.isMissingNode()) {
                problems.addAll(secretKey(at + " env " + name, secret.path("name").asText(),
                        secret.path("key").asText(), resources));
            }
            JsonNode config = var.path("valueFrom").path("configMapKeyRef");
            if (!config.isMissingNode()) {
                problems.addAll(configMapKey(at + " env " + name, config.path("name").asText(),
                        config.path("key").asText(), resources));
            }
        }
        for (JsonNode from : container.path("envFrom")) {
            if (from.has("configMapRef")) {
                String name = from.path("configMapRef").path("name").asText();
                Optional<Resource> map = find(resources, "ConfigMap", name);
                if (map.isEmpty()) {
                    problems.add(at + ": envFrom ConfigMap " + name + " is not defined");
                } else {
                    for (Iterator<Map.Entry<String, JsonNode>> it = map.get().node().path("data").fields(); it
                            .hasNext();) {
                        Map.Entry<String, JsonNode> entry = it.next();
                        env.putIfAbsent(entry.getKey(), entry.getValue().asText());
                    }
                }
            }
            if (from.has("secretRef")) {
                problems.add(at + ": envFrom a Secret hides which keys a service reads; use secretKeyRef");
            }
        }
        String image = container.path("image").asText();
        String repository = Kustomizations.repository(image);
        if (repository.startsWith("modelgate/") && !image.equals(repository)) {
            String service = repository.substring("modelgate/".length());
            problems.addAll(service(at, service, ports, env));
        } else {
            problems.add(at + ": image " + image + " is not modelgate/<service>:<tag>");
        }
        for (String required : PLATFORM_ENV) {
            if (!env.containsKey(required)) {
                problems.add(at + ": " + required + " is not set");
            }
        }
        String keyFile = env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        if (keyFile != null && mounts.keySet().stream().noneMatch(path -> keyFile.startsWith(path + "/"))) {
            problems.add(at + ": MP_JWT_VERIFY_PUBLICKEY_LOCATION " + keyFile + " is on no mounted volume");
        }
        return problems;
    }

    /** The container against its service's sources: port, and every setting the service cannot start without. */
    private static List<String> service(String at, String service, Map<String, Integer> ports,
            Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Path dir = Repo.path("services/" + service);
        Path dockerfile = dir.resolve("src/main/docker/Dockerfile.jvm");
        Path properties = dir.resolve("src/main/resources/application.properties");
        if (!Files.isRegularFile(dockerfile) || !Files.isRegularFile(properties)) {
            problems.add(at + ": services/" + service + " has no Dockerfile.jvm or application.properties");
            return problems;
        }
        Matcher expose = EXPOSE.matcher(Repo.read(dockerfile));
        Matcher port = HTTP_PORT.matcher(Repo.read(properties));
        if (!expose.find() || !port.find() || !ports.containsValue(Integer.parseInt(expose.group(1)))
                || !expose.group(1).equals(port.group(1))) {
            problems.add(at + ": container ports " + ports.values() + " are not the service's port (Dockerfile.jvm"
                    + " EXPOSE and quarkus.http.port)");
        }
        Matcher required = REQUIRED_ENV.matcher(Repo.read(properties));
        while (required.find()) {
            if (!env.containsKey(required.group(1))) {
                problems.add(at + ": " + required.group(1) + " (required by application.properties) is not set");
            }
        }
        return problems;
    }

    private List<String> volumeReferences(String at, JsonNode volume, List<Resource> resources) {
        List<String> problems = new ArrayList<>();
        String where = at + " volume " + volume.path("name").asText();
        if (volume.has("configMap")) {
            String name = volume.path("configMap").path("name").asText();
            for (JsonNode item : volume.path("configMap").path("items")) {
                problems.addAll(configMapKey(where, name, item.path("key").asText(), resources));
            }
            if (!volume.path("configMap").has("items")) {
                problems.addAll(configMapKey(where, name, null, resources));
            }
        }
        if (volume.has("secret")) {
            String name = volume.path("secret").path("secretName").asText();
            for (JsonNode item : volume.path("secret").path("items")) {
                problems.addAll(secretKey(where, name, item.path("key").asText(), resources));
            }
            if (!volume.path("secret").has("items")) {
                problems.addAll(secretKey(where, name, null, resources));
            }
        }
        if (volume.has("persistentVolumeClaim")) {
            String claim = volume.path("persistentVolumeClaim").path("claimName").asText();
            if (find(resources, "PersistentVolumeClaim", claim).isEmpty()) {
                problems.add(where + ": PersistentVolumeClaim " + claim + " is not defined");
            }
        }
        return problems;
    }

    private List<String> secretKey(String at, String name, String key, List<Resource> resources) {
        return reference(at, "Secret", name, key, resources, externalSecrets);
    }

    private List<String> configMapKey(String at, String name, String key, List<Resource> resources) {
        return reference(at, "ConfigMap", name, key, resources, externalConfigMaps);
    }

    private static List<String> reference(String at, String kind, String name, String key, List<Resource> resources,
            Map<String, Set<String>> external) {
        Optional<Resource> defined = find(resources, kind, name);
        Set<String> keys = new HashSet<>();
        if (defined.isPresent()) {
            defined.get().node().path("data").fieldNames().forEachRemaining(keys::add);
            defined.get().node().path("stringData").fieldNames().forEachRemaining(keys::add);
        } else if (external.containsKey(name)) {
            keys.addAll(external.get(name));
        } else {
            return List.of(at + ": " + kind + " " + name + " is neither defined nor documented as external");
        }
        if (key != null && !keys.contains(key)) {
            return List.of(at + ": " + kind + " " + name + " has no key " + key);
        }
        return List.of();
    }

    static List<String> services(List<Resource> resources) {
        List<String> problems = new ArrayList<>();
        for (Resource service : of(resources, Set.of("Service"))) {
            String at = service.origin() + " " + service.id();
            JsonNode selector = service.node().path("spec").path("selector");
            if (selector.isEmpty()) {
                problems.add(at + ": no selector");
                continue;
            }
            List<Resource> selected = of(resources, WORKLOADS).stream()
                    .filter(w -> selects(selector, w.node()
                            .path("spec")
                            .path("template")
                            .path("metadata")
                            .path("labels")))
                    .toList();
            if (selected.isEmpty()) {
                problems.add(at + ": selector " + selector + " matches no workload's pod labels");
            }
            for (JsonNode port : service.node().path("spec").path("ports")) {
                JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
                for (Resource w : selected) {
                    boolean found = false;
                    for (JsonNode c : Kustomizations.containers(w.node())) {
                        for (JsonNode p : c.path("ports")) {
                            found |= target.isInt()
                                    ? p.path("containerPort").asInt() == target.asInt()
                                    : p.path("name").asText().equals(target.asText());
                        }
                    }
                    if (!found) {
                        problems.add(at + ": targetPort " + target.asText() + " is no port of " + w.id());
                    }
                }
            }
        }
        return problems;
    }

    static List<String> disruptionBudgetsAndAutoscalers(List<Resource> resources) {
        List<String> problems = new ArrayList<>();
        for (Resource pdb : of(resources, Set.of("PodDisruptionBudget"))) {
            JsonNode selector = pdb.node().path("spec").path("selector").path("matchLabels");
            boolean matches = of(resources, WORKLOADS).stream()
                    .anyMatch(w -> selects(selector,
                            w.node().path("spec").path("template").path("metadata").path("labels")));
            if (selector.isEmpty() || !matches) {
                problems.add(pdb.origin() + " " + pdb.id() + ": selector matches no workload");
            }
        }
        for (Resource hpa : of(resources, Set.of("HorizontalPodAutoscaler"))) {
            JsonNode spec = hpa.node().path("spec");
            JsonNode ref = spec.path("scaleTargetRef");
            if (find(resources, ref.path("kind").asText(), ref.path("name").asText()).isEmpty()) {
                problems.add(hpa.origin() + " " + hpa.id() + ": scaleTargetRef " + ref + " is not defined");
            }
            if (spec.path("minReplicas").asInt(1) > spec.path("maxReplicas").asInt()) {
                problems.add(hpa.origin() + " " + hpa.id() + ": minReplicas above maxReplicas");
            }
        }
        return problems;
    }

    static List<String> bindings(List<Resource> resources) {
        List<String> problems = new ArrayList<>();
        for (Resource binding : of(resources, Set.of("RoleBinding", "ClusterRoleBinding"))) {
            String at = binding.origin() + " " + binding.id();
            JsonNode ref = binding.node().path("roleRef");
            if (find(resources, ref.path("kind").asText(), ref.path("name").asText()).isEmpty()) {
                problems.add(at + ": roleRef " + ref.path("kind").asText() + "/" + ref.path("name").asText()
                        + " is not defined");
            }
            for (JsonNode subject : binding.node().path("subjects")) {
                if ("ServiceAccount".equals(subject.path("kind").asText())
                        && find(resources, "ServiceAccount", subject.path("name").asText()).isEmpty()) {
                    problems.add(at + ": subject ServiceAccount " + subject.path("name").asText()
                            + " is not defined");
                }
            }
        }
        return problems;
    }

    /** The verbs a service account is granted on a resource of an API group, through every binding in the set. */
    static Set<String> verbs(List<Resource> resources, String serviceAccount, String group, String resource) {
        Set<String> verbs = new HashSet<>();
        for (Resource binding : of(resources, Set.of("RoleBinding", "ClusterRoleBinding"))) {
            boolean bound = false;
            for (JsonNode subject : binding.node().path("subjects")) {
                bound |= "ServiceAccount".equals(subject.path("kind").asText())
                        && serviceAccount.equals(subject.path("name").asText());
            }
            JsonNode ref = binding.node().path("roleRef");
            Optional<Resource> role = find(resources, ref.path("kind").asText(), ref.path("name").asText());
            if (!bound || role.isEmpty()) {
                continue;
            }
            for (JsonNode rule : role.get().node().path("rules")) {
                if (contains(rule.path("apiGroups"), group) && contains(rule.path("resources"), resource)) {
                    rule.path("verbs").forEach(v -> verbs.add(v.asText()));
                }
            }
        }
        return verbs;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode element : array) {
            if (element.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isEmpty()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().asText().equals(labels.path(entry.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    static List<Resource> of(List<Resource> resources, Set<String> kinds) {
        return resources.stream().filter(r -> kinds.contains(r.kind())).toList();
    }

    static Optional<Resource> find(List<Resource> resources, String kind, String name) {
        return resources.stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)).findFirst();
    }
}
