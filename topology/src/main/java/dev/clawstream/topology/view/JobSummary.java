package dev.clawstream.topology.view;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One job as Trust Pulse lists it: the sum of its sealed segments. Built from the segments themselves,
 * so a segment delivered twice (a compacted topic re-read, a restored store) is counted once.
 */
public record JobSummary(String jobId, String agentId, String wpcHash, String cstScopeHash, String tokenId,
                         List<BundleSummary> segments, long entryCount, long decisions, long allowed, long denied,
                         long receipts, Instant firstTime, Instant lastTime, boolean closed, String sealReason) {

    public JobSummary {
        Objects.requireNonNull(jobId, "jobId");
        segments = List.copyOf(segments);
    }

    public static JobSummary of(BundleSummary segment) {
        return of(segment.jobId(), List.of(segment));
    }

    /** This job with {@code segment} added, replacing an earlier copy of the same segment index. */
    public JobSummary with(BundleSummary segment) {
        if (!segment.jobId().equals(jobId)) {
            throw new IllegalArgumentException("segment of job " + segment.jobId() + " added to job " + jobId);
        }
        return of(jobId, Stream.concat(segments.stream().filter(s -> s.segmentIndex() != segment.segmentIndex()),
                Stream.of(segment)).toList());
    }

    private static JobSummary of(String jobId, List<BundleSummary> unordered) {
        List<BundleSummary> segments = unordered.stream()
                .sorted(Comparator.comparingInt(BundleSummary::segmentIndex)).toList();
        // The header is in segment 0; a job whose first segment has not arrived yet shows what later ones say.
        BundleSummary tail = segments.get(segments.size() - 1);
        Instant first = segments.stream().map(BundleSummary::firstTime).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(null);
        Instant last = segments.stream().map(BundleSummary::lastTime).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
        return new JobSummary(jobId,
                firstNonNull(segments.stream().map(BundleSummary::agentId)),
                firstNonNull(segments.stream().map(BundleSummary::wpcHash)),
                firstNonNull(segments.stream().map(BundleSummary::cstScopeHash)),
                firstNonNull(segments.stream().map(BundleSummary::tokenId)),
                segments,
                segments.stream().mapToLong(BundleSummary::entryCount).sum(),
                segments.stream().mapToLong(BundleSummary::decisions).sum(),
                segments.stream().mapToLong(BundleSummary::allowed).sum(),
                segments.stream().mapToLong(BundleSummary::denied).sum(),
                segments.stream().mapToLong(BundleSummary::receipts).sum(),
                first, last,
                segments.stream().anyMatch(BundleSummary::finalSegment),
                tail.sealReason());
    }

    private static String firstNonNull(Stream<String> values) {
        return values.filter(Objects::nonNull).findFirst().orElse(null);
    }
}
