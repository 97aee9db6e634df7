package io.modelgate.approval.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.jboss.logging.Logger;

import io.modelgate.approval.persistence.ModelRepository;
import io.modelgate.approval.persistence.ModelVersionRepository;
import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.ScanCompleted;
import io.modelgate.events.Verdict;

/**
 * Turns a scan into library state: the model and version the image carries (created on first sight), the scan
 * recorded on the version, then the active policy's outcome. A scan not newer than the one recorded is ignored, so a
 * redelivered or overtaken scan has no second effect.
 */
@ApplicationScoped
public class ScanIntake {

    private static final Logger LOG = Logger.getLogger(ScanIntake.class);

    /** The actor of changes made on behalf of the scanner. */
    static final String SCANNER = "scanner";

    private final ModelRepository models;
    private final ModelVersionRepository versions;
    private final ApprovalWorkflow workflow;
    private final AuditTrail audit;

    public ScanIntake(ModelRepository models, ModelVersionRepository versions, ApprovalWorkflow workflow,
            AuditTrail audit) {
        this.models = models;
        this.versions = versions;
        this.workflow = workflow;
        this.audit = audit;
    }

    @Transactional(TxType.MANDATORY)
    public void record(ScanCompleted scan) {
        ImageDescriptor image = scan.image();
        ModelFacts facts = ModelFacts.of(image);
        Model model = models.findByName(facts.name()).orElseGet(() -> createModel(facts));
        ModelVersion version = versions.lockByModelAndDigest(model.id, image.digest())
                .orElseGet(() -> createVersion(model, facts, image));
        if (version.scannedAt != null && !scan.scannedAt().isAfter(version.scannedAt)) {
            LOG.debugf("Ignoring scan %s of %s from %s: scan %s from %s is newer or the same", scan.scanId(),
                    image.digest(), scan.scannedAt(), version.scanId, version.scannedAt);
            return;
        }
        boolean rescan = version.scannedAt != null;
        recordScan(version, scan);
        // This runs in the scan's consumer span: a person deciding later publishes the outcome in this trace.
        VersionTrace.remember(version);
        audit.version(ScanIntake.SCANNER, AuditAction.SCAN_RECORDED, version, version.state, version.state,
                (rescan ? "rescan " : "scan ") + scan.scanId() + ": " + scan.verdict() + ", critical "
                        + scan.counts().critical() + ", high " + scan.counts().high() + ", secrets "
                        + scan.secretCount() + (scan.reasons().isEmpty()
                                ? ""
                                : "; " + String.join("; ",
                                        scan.reasons())));

        if (version.state == VersionState.DISCOVERED) {
            workflow.transition(version, VersionState.SCANNED, SCANNER, "scan " + scan.scanId());
        }
        if (ApprovalWorkflow.reopenable(version)) {
            // Not yet decided, or refused by a policy: the policy decides again on the newer scan, exactly as it
            // does after an edit or a re-evaluation request.
            workflow.apply(model, version, workflow.evaluate(model, version));
        } else if (version.state == VersionState.APPROVED) {
            rescanApproved(model, version, scan);
        }
        // Versions rejected by people and revoked ones keep the newest scan for the record; nothing brings them back.
    }

    /**
     * An approved version scanned again: a FAIL verdict or a rule that now rejects it is a failure, handled as the
     * policy says (revoke or flag); an ERROR verdict tells nothing about the image, so it only flags.
     */
    private void rescanApproved(Model model, ModelVersion version, ScanCompleted scan) {
        PolicyEngine.Evaluation evaluation = workflow.evaluate(model, version);
        String actor = ApprovalWorkflow.policyActor(evaluation.rule());
        boolean failed = scan.verdict() == Verdict.FAIL || evaluation.outcome().action() == OutcomeAction.REJECT;
        if (scan.verdict() == Verdict.ERROR) {
            flag(version, actor, "rescan " + scan.scanId() + " could not complete (ERROR)");
        } else if (failed && evaluation.onRescanFailure() == RescanFailureAction.REVOKE) {
            workflow.revoke(model, version, "rescan " + scan.scanId() + " failed (" + scan.verdict()
                    + (scan.reasons().isEmpty() ? "" : ": " + String.join("; ", scan.reasons())) + ")", actor);
        } else if (failed) {
            flag(version, actor, "rescan " + scan.scanId() + " failed (" + scan.verdict() + ")");
        } else if (version.flagged) {
            version.flagged = false;
            version.flagReason = null;
            version.updatedAt = Instant.now();
            audit.version(actor, AuditAction.FLAG_CLEARED, version, version.state, version.state,
                    "rescan " + scan.scanId() + " passed");
        }
    }

    private void flag(ModelVersion version, String actor, String reason) {
        version.flagged = true;
        version.flagReason = reason;
        version.updatedAt = Instant.now();
        audit.version(actor, AuditAction.FLAGGED, version, version.state, version.state, reason);
    }

    private Model createModel(ModelFacts facts) {
        Model model = new Model();
        model.id = UUID.randomUUID();
        model.name = facts.name();
        model.publisher = facts.publisher();
        model.description = facts.description();
        model.functionTypes(facts.functionTypes());
        model.createdAt = Instant.now();
        model.updatedAt = model.createdAt;
        models.persist(model);
        return model;
    }

    private ModelVersion createVersion(Model model, ModelFacts facts, ImageDescriptor image) {
        ModelVersion version = new ModelVersion();
        version.id = UUID.randomUUID();
        version.modelId = model.id;
        version.modelName = model.name;
        version.functionTypesColumn = model.functionTypesColumn;
        version.version = facts.version();
        version.digest = image.digest();
        version.reference = image.reference();
        version.connectionId = image.connectionId();
        version.registry = image.registry();
        version.repository = image.repository();
        version.tag = image.tag();
        version.mediaType = image.mediaType();
        version.sizeBytes = image.sizeBytes();
        version.imageCreatedAt = image.createdAt();
        version.labels = image.labels();
        version.annotations = image.annotations();
        version.parameterCount = facts.parameterCount();
        version.contextLength = facts.contextLength();
        version.dtype = facts.dtype();
        version.quantization = facts.quantization();
        version.license = facts.license();
        version.gpuCount = facts.gpuCount();
        version.gpuType = facts.gpuType();
        version.gpuMemory = facts.gpuMemory();
        version.cpu = facts.cpu();
        version.memory = facts.memory();
        version.state = VersionState.DISCOVERED;
        version.stateActor = SCANNER;
        version.discoveredAt = Instant.now();
        version.stateChangedAt = version.discoveredAt;
        version.updatedAt = version.discoveredAt;
        versions.persist(version);
        audit.version(SCANNER, AuditAction.DISCOVERED, version, null, VersionState.DISCOVERED,
                image.reference() + (facts.problems().isEmpty()
                        ? ""
                        : "; ignored: " + String.join("; ",
                                facts.problems())));
        return version;
    }

    private static void recordScan(ModelVersion version, ScanCompleted scan) {
        version.scanId = scan.scanId();
        version.scanVerdict = scan.verdict();
        version.scanCritical = scan.counts().critical();
        version.scanHigh = scan.counts().high();
        version.scanMedium = scan.counts().medium();
        version.scanLow = scan.counts().low();
        version.scanUnknown = scan.counts().unknown();
        version.scanFixable = scan.fixableCount();
        version.scanSecrets = scan.secretCount();
        version.scannedAt = scan.scannedAt();
        version.scannerVersion = scan.scanner().version();
        version.scannerDbVersion = scan.scanner().dbVersion();
        version.updatedAt = Instant.now();
    }
}
