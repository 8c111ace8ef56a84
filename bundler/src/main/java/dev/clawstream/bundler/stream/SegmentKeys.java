package dev.clawstream.bundler.stream;

/**
 * Keys of a job's open segment in the segment store: entries and interim checkpoints, in order under
 * a prefix that belongs to this job alone. The job id is length-prefixed, so no job id (they may
 * contain any character) is a prefix of another job's keys; indexes are zero-padded so byte order is
 * numeric order.
 */
final class SegmentKeys {

    private SegmentKeys() {
    }

    static String jobPrefix(String jobId) {
        return jobId.length() + ":" + jobId + "/";
    }

    static String entry(String jobId, long index) {
        return jobPrefix(jobId) + "e/" + String.format("%019d", index);
    }

    static String checkpoint(String jobId, long treeSize) {
        return jobPrefix(jobId) + "c/" + String.format("%019d", treeSize);
    }

    static boolean isEntry(String jobId, String key) {
        return key.startsWith(jobPrefix(jobId) + "e/");
    }

    /** The key of a sealed segment on proof.bundles and trust.pulse: compaction keeps every segment of a job. */
    static String bundleKey(String jobId, int segmentIndex) {
        return jobId + "#" + segmentIndex;
    }
}
