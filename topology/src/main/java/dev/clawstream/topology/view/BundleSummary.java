package dev.clawstream.topology.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawstream.schemas.ProofBundle;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * What Trust Pulse lists about one sealed segment, read from the redacted bundle document itself (not
 * from the record's side fields), so the list shows what the page will verify.
 *
 * @param firstTime earliest time of any entry (header start, decision, receipt, close); null if none has one
 */
public record BundleSummary(String jobId, int segmentIndex, boolean finalSegment, String agentId, String wpcHash,
                            String cstScopeHash, String tokenId, long entryCount, long decisions, long allowed,
                            long denied, long receipts, Instant firstTime, Instant lastTime, String sealReason,
                            Instant sealedAt) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public BundleSummary {
        Objects.requireNonNull(jobId, "jobId");
    }

    /** @throws IllegalArgumentException when the bundle document is not JSON of the bundle format's shape */
    public static BundleSummary of(ProofBundle record) {
        JsonNode doc;
        try {
            doc = MAPPER.readTree(record.getBundle());
        } catch (IOException e) {
            throw new IllegalArgumentException("bundle document of job " + record.getJobId() + " segment "
                    + record.getSegmentIndex() + " is not JSON: " + e.getMessage(), e);
        }
        JsonNode entries = doc.path("entries");
        if (!entries.isArray()) {
            throw new IllegalArgumentException("bundle document of job " + record.getJobId() + " has no entries array");
        }
        String agent = null;
        String wpc = null;
        String scope = null;
        String token = null;
        long decisions = 0;
        long allowed = 0;
        long denied = 0;
        long receipts = 0;
        Instant first = null;
        Instant last = null;
        for (JsonNode wrapper : entries) {
            JsonNode entry = wrapper.path("entry");
            String kind = entry.path("kind").asText();
            Instant time = null;
            switch (kind) {
                case "header":
                    agent = text(entry, "agent_id");
                    wpc = text(entry, "wpc_hash");
                    scope = text(entry, "cst_scope_hash");
                    token = text(entry, "token_id");
                    time = instant(entry.path("started_at"));
                    break;
                case "decision":
                    decisions++;
                    JsonNode decision = entry.path("decision");
                    String verdict = decision.path("verdict").asText();
                    if ("ALLOW".equals(verdict)) {
                        allowed++;
                    } else if ("DENY".equals(verdict)) {
                        denied++;
                    }
                    time = instant(decision.path("input").path("time"));
                    break;
                case "receipt":
                    receipts++;
                    time = instant(entry.path("receipt").path("time"));
                    break;
                case "close":
                    time = instant(entry.path("time"));
                    break;
                default:
                    break;
            }
            if (time != null) {
                first = first == null || time.isBefore(first) ? time : first;
                last = last == null || time.isAfter(last) ? time : last;
            }
        }
        return new BundleSummary(record.getJobId(), record.getSegmentIndex(), record.getFinalSegment(), agent, wpc, scope,
                token, record.getEntryCount(), decisions, allowed, denied, receipts, first, last,
                record.getSealReason().name(), record.getSealedAt());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
