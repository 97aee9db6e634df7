package io.modelgate.serving.domain;

import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelgate.events.FunctionType;
import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.ModelApproved;
import io.modelgate.events.ModelRevoked;
import io.modelgate.platform.problem.ProblemException;
import io.modelgate.serving.persistence.ApprovedVersionRepository;

/**
 * The digests that hold a live approval, fed by {@code ModelApproved} and {@code ModelRevoked}: the only thing that
 * decides whether serving may deploy a model.
 */
@ApplicationScoped
public class ApprovedSet {

    private static final Logger LOG = Logger.getLogger(ApprovedSet.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApprovedVersionRepository versions;

    public ApprovedSet(ApprovedVersionRepository versions) {
        this.versions = versions;
    }

    /** Records an approval; an event older than the newest applied for the version is ignored. */
    @Transactional(TxType.MANDATORY)
    public void approved(ModelApproved event) {
        ApprovedVersion v = versions.findById(event.versionId());
        boolean first = v == null;
        if (!first && event.occurredAt().isBefore(v.lastEventAt)) {
            LOG.infof("Ignoring a stale ModelApproved for version %s", event.versionId());
            return;
        }
        if (first) {
            v = new ApprovedVersion();
            v.versionId = event.versionId();
        }
        v.modelId = event.modelId();
        v.modelName = event.modelName();
        v.version = event.version();
        v.digest = event.image().digest();
        v.imageReference = ImageDescriptor.pinnedReference(event.image().registry(), event.image().repository(),
                event.image().digest());
        v.functionTypes = event.functionTypes().stream().map(FunctionType::name).collect(Collectors.joining(","));
        v.metadata = json(event.metadata());
        if (event.resources() != null) {
            v.gpuCount = event.resources().gpuCount();
            v.gpuType = event.resources().gpuType();
            v.gpuMemory = event.resources().gpuMemory();
            v.cpu = event.resources().cpu();
            v.memory = event.resources().memory();
        }
        v.approvedAt = event.occurredAt();
        v.revokedAt = null;
        v.revokeReason = null;
        v.revokedBy = null;
        v.lastEventAt = event.occurredAt();
        // This runs in ModelApproved's consumer span: the deployments' announcements continue this trace.
        ApprovalTrace.remember(v);
        if (first) {
            versions.persist(v);
        }
    }

    /** Records a revocation; true if it applied (not stale). */
    @Transactional(TxType.MANDATORY)
    public boolean revoked(ModelRevoked event) {
        ApprovedVersion v = versions.findById(event.versionId());
        if (v != null && event.occurredAt().isBefore(v.lastEventAt)) {
            LOG.infof("Ignoring a stale ModelRevoked for version %s", event.versionId());
            return false;
        }
        if (v == null) {
            // Revoked before serving saw the approval: remember it, so the digest is refused with the reason.
            v = new ApprovedVersion();
            v.versionId = event.versionId();
            v.modelId = event.modelId();
            v.modelName = event.modelName();
            v.version = event.version();
            v.digest = event.digest();
            v.imageReference = event.imageReference();
            v.functionTypes = "";
            v.approvedAt = event.occurredAt();
            versions.persist(v);
        }
        v.revokedAt = event.occurredAt();
        v.revokeReason = event.reason();
        v.revokedBy = event.revokedBy();
        v.lastEventAt = event.occurredAt();
        return true;
    }

    /**
     * The approved version to deploy, by version id or digest: 404 for a version id serving never saw, 403 with the
     * reason for a digest without approval or a revoked one.
     */
    @Transactional(TxType.MANDATORY)
    public ApprovedVersion requireDeployable(String versionId, String digest) {
        ApprovedVersion v;
        if (versionId != null) {
            v = versions.findById(versionId);
            if (v == null) {
                throw ProblemException.notFound("Model version " + versionId + " is unknown to serving: it has never "
                        + "been approved");
            }
            if (digest != null && !digest.equals(v.digest)) {
                throw ProblemException.badRequest("Digest " + digest + " is not the digest of version " + versionId);
            }
        } else {
            v = versions.byDigest(digest)
                    .orElseThrow(() -> ProblemException.forbidden(
                            "Digest " + digest + " holds no approval; only approved digests can be deployed"));
        }
        if (!v.live()) {
            throw ProblemException.forbidden("Version " + v.versionId + " (" + v.digest + ") was revoked at "
                    + v.revokedAt + " by " + v.revokedBy + ": " + v.revokeReason);
        }
        return v;
    }

    private static String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
