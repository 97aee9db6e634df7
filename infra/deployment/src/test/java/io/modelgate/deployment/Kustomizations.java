package io.modelgate.deployment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.zjsonpatch.JsonPatch;

/**
 * Reads a kustomization and what it refers to, without building it (there is no kustomize here, and a second
 * kustomize is not wanted): resources must exist, patches must name existing objects and leave them valid, replicas
 * and images must name existing workloads and images.
 */
final class Kustomizations {

    static final Set<String> KEYS = Set.of("apiVersion", "kind", "namespace", "resources", "patches", "replicas",
            "images", "labels", "commonAnnotations", "components", "namePrefix", "nameSuffix");
    static final Set<String> PATCH_KEYS = Set.of("path", "patch", "target", "options");
    static final Set<String> TARGET_KEYS = Set.of("group", "version", "kind", "name", "namespace", "labelSelector",
            "annotationSelector");

    /** An object and the file it came from. */
    record Resource(String origin, ObjectNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        String id() {
            return kind() + "/" + name();
        }
    }

    /** A patch of an overlay: its origin, content (object = strategic merge, array = JSON 6902) and target. */
    record Patch(String origin, JsonNode content, JsonNode target) {
    }

    /** A kustomization read: its objects (through every level of resources), patches, files used and problems. */
    record Tree(Path dir, JsonNode kustomization, List<Resource> resources, List<Patch> patches, Set<Path> files,
            List<String> problems) {
    }

    private Kustomizations() {
    }

    static Tree read(Path dir) {
        Tree tree = new Tree(dir, null, new ArrayList<>(), new ArrayList<>(), new LinkedHashSet<>(),
                new ArrayList<>());
        return read(dir, tree, new HashSet<>());
    }

    private static Tree read(Path dir, Tree into, Set<Path> seen) {
        Path file = dir.resolve("kustomization.yaml");
        String where = Repo.relative(file);
        if (!Files.isRegularFile(file)) {
            into.problems().add(Repo.relative(dir) + ": no kustomization.yaml");
            return into;
        }
        if (!seen.add(file)) {
            into.problems().add(where + ": included twice");
            return into;
        }
        into.files().add(file);
        List<JsonNode> docs = Repo.yamlDocuments(file);
        if (docs.size() != 1) {
            into.problems().add(where + ": expected one document, found " + docs.size());
            return into;
        }
        JsonNode k = docs.get(0);
        Tree tree = into.kustomization() == null
                ? new Tree(into.dir(), k, into.resources(), into.patches(), into.files(), into.problems())
                : into;
        if (!"kustomize.config.k8s.io/v1beta1".equals(k.path("apiVersion").asText())
                || !"Kustomization".equals(k.path("kind").asText())) {
            tree.problems().add(where + ": not a kustomize.config.k8s.io/v1beta1 Kustomization");
        }
        unknownKeys(where, k, KEYS, tree.problems());
        for (JsonNode entry : k.path("resources")) {
            Path target = dir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(target)) {
                read(target, tree, seen);
            } else if (Files.isRegularFile(target)) {
                tree.files().add(target);
                for (JsonNode doc : Repo.yamlDocuments(target)) {
                    if (doc instanceof ObjectNode object) {
                        tree.resources().add(new Resource(Repo.relative(target), object));
                    } else {
                        tree.problems().add(Repo.relative(target) + ": a document that is not an object");
                    }
                }
            } else {
                tree.problems().add(where + ": resource " + entry.asText() + " does not exist");
            }
        }
        // Patches, replicas and images apply to everything gathered so far, including the bases.
        List<Patch> own = new ArrayList<>();
        for (JsonNode entry : k.path("patches")) {
            unknownKeys(where + " patch", entry, PATCH_KEYS, tree.problems());
            unknownKeys(where + " patch target", entry.path("target"), TARGET_KEYS, tree.problems());
            List<JsonNode> contents;
            String origin;
            if (entry.has("path")) {
                Path patchFile = dir.resolve(entry.path("path").asText()).normalize();
                origin = Repo.relative(patchFile);
                if (!Files.isRegularFile(patchFile)) {
                    tree.problems().add(where + ": patch " + entry.path("path").asText() + " does not exist");
                    continue;
                }
                tree.files().add(patchFile);
                contents = Repo.yamlDocuments(patchFile);
            } else if (entry.has("patch")) {
                origin = where + " (inline patch)";
                contents = Repo.yamlDocuments(entry.path("patch").asText());
            } else {
                tree.problems().add(where + ": a patch with neither path nor patch");
                continue;
            }
            if (contents.size() != 1) {
                tree.problems().add(origin + ": expected one patch document, found " + contents.size());
                continue;
            }
            own.add(new Patch(origin, contents.get(0), entry.path("target")));
        }
        for (Patch patch : own) {
            tree.problems().addAll(check(patch, tree.resources()));
        }
        tree.patches().addAll(own);
        for (JsonNode replicas : k.path("replicas")) {
            String name = replicas.path("name").asText();
            boolean found = tree.resources()
                    .stream()
                    .anyMatch(r -> r.name().equals(name)
                            && Set.of("Deployment", "StatefulSet", "ReplicaSet").contains(r.kind()));
            if (!found) {
                tree.problems().add(where + ": replicas names " + name + ", which is no Deployment or StatefulSet");
            }
            if (!replicas.path("count").canConvertToInt() || replicas.path("count").asInt() < 1) {
                tree.problems().add(where + ": replicas of " + name + " is not a positive count");
            }
        }
        for (JsonNode image : k.path("images")) {
            String name = image.path("name").asText();
            boolean used = tree.resources()
                    .stream()
                    .flatMap(r -> containers(r.node()).stream())
                    .anyMatch(c -> repository(c.path("image").asText()).equals(name));
            if (!used) {
                tree.problems().add(where + ": image " + name + " is used by no container");
            }
        }
        return tree;
    }

    /** A patch must hit at least one object, and the object must stay valid. */
    static List<String> check(Patch patch, List<Resource> resources) {
        List<String> problems = new ArrayList<>();
        JsonNode content = patch.content();
        JsonNode target = patch.target();
        if (content.isArray()) {
            if (target.isMissingNode()) {
                problems.add(patch.origin() + ": a JSON 6902 patch needs a target");
                return problems;
            }
        } else if (target.isMissingNode()) {
            // A strategic merge patch names its target itself.
            target = Repo.JSON.createObjectNode()
                    .put("kind", content.path("kind").asText())
                    .put("name", content.path("metadata").path("name").asText());
            for (String violation : StrictSchemas.violations(content)) {
                problems.add(patch.origin() + ": " + violation);
            }
        }
        List<Resource> hits = new ArrayList<>();
        for (Resource resource : resources) {
            if (matches(target, resource)) {
                hits.add(resource);
            }
        }
        if (hits.isEmpty()) {
            problems.add(patch.origin() + ": the target " + target + " matches no object");
        }
        for (Resource hit : hits) {
            if (content.isArray()) {
                try {
                    JsonNode patched = JsonPatch.apply(content, hit.node());
                    for (String violation : StrictSchemas.violations(patched)) {
                        problems.add(patch.origin() + " on " + hit.id() + ": " + violation);
                    }
                } catch (RuntimeException e) {
                    problems.add(patch.origin() + " on " + hit.id() + ": " + e.getMessage());
                }
            } else {
                // Containers merge by name: a patch naming a container the object does not have would add one.
                Set<String> names = new HashSet<>();
                containers(hit.node()).forEach(c -> names.add(c.path("name").asText()));
                for (JsonNode container : containers(content)) {
                    if (!names.contains(container.path("name").asText())) {
                        problems.add(patch.origin() + " on " + hit.id() + ": no container named "
                                + container.path("name").asText());
                    }
                }
            }
        }
        return problems;
    }

    static boolean matches(JsonNode target, Resource resource) {
        String apiVersion = resource.node().path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        return (!target.has("kind") || target.path("kind").asText().equals(resource.kind()))
                && (!target.has("name") || target.path("name").asText().equals(resource.name()))
                && (!target.has("group") || target.path("group").asText().equals(group))
                && (!target.has("version") || target.path("version").asText().equals(version));
    }

    /** The containers of a workload's pod template, a pod spec or a ServingRuntime. */
    static List<JsonNode> containers(JsonNode object) {
        List<JsonNode> result = new ArrayList<>();
        object.path("spec").path("template").path("spec").path("containers").forEach(result::add);
        object.path("spec").path("containers").forEach(result::add);
        return result;
    }

    static String repository(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    private static void unknownKeys(String where, JsonNode node, Set<String> allowed, List<String> problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!allowed.contains(key)) {
                problems.add(where + ": unknown key " + key);
            }
        }
    }
}
