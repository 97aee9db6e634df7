package io.modelgate.scanner.client.trivy;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Reads Trivy's JSON report (SchemaVersion 2); anything else (empty, truncated, garbage, another schema) is refused. */
public final class TrivyReportParser {

    /** The only report schema this parser understands. */
    public static final int SCHEMA_VERSION = 2;

    // Its own mapper: Trivy's PascalCase fields and lenient unknown fields must not depend on the application's.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private TrivyReportParser() {
    }

    /** Parses a report; the exception's message says what is wrong with it. */
    public static TrivyReport parse(byte[] json) throws TrivyException {
        if (json == null || json.length == 0 || new String(json, 0, Math.min(json.length, 64)).isBlank()) {
            throw new TrivyException("Trivy printed no report");
        }
        TrivyReport report;
        try {
            report = MAPPER.readValue(json, TrivyReport.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at " + e.getLocation().offsetDescription();
            throw new TrivyException("Trivy printed an unreadable report: " + e.getOriginalMessage() + where, e);
        } catch (IOException e) {
            throw new TrivyException("Trivy's report could not be read: " + e.getMessage(), e);
        }
        if (report == null) {
            throw new TrivyException("Trivy printed no report");
        }
        if (report.schemaVersion() != SCHEMA_VERSION) {
            throw new TrivyException("Trivy printed a report with SchemaVersion " + report.schemaVersion()
                    + "; only " + SCHEMA_VERSION + " is understood");
        }
        return report;
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
