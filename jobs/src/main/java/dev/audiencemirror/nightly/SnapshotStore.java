package dev.audiencemirror.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * What the destinations held after the last successful run, kept under {@code nightly.state-dir}:
 *
 * <pre>
 * CURRENT                           the committed snapshot's id (one line)
 * snapshots/{id}/pairs/…            "contact,list" lines: contacts on each list
 * snapshots/{id}/segments/…         {"code":…,"def":{…}} lines: the import's segments
 * snapshots/{id}/corrections.jsonl  what failed in that run's push, overriding the two above
 * </pre>
 *
 * A run writes its snapshot under a new id and commits it by replacing {@code CURRENT} (write
 * then rename, atomic on a local or POSIX file system; a single small object on S3). A run that
 * dies before that leaves the previous snapshot in force, so the next run converges. Uses Flink's
 * file systems, so the state can live on S3 or HDFS when the cluster has the plugin.
 */
final class SnapshotStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEEP = 3;

    private final Path root;

    SnapshotStore(String stateDir) {
        this.root = new Path(stateDir);
    }

    Path root() {
        return root;
    }

    Optional<String> current() throws IOException {
        Path current = new Path(root, "CURRENT");
        FileSystem fs = current.getFileSystem();
        if (!fs.exists(current)) {
            return Optional.empty();
        }
        try (var in = new BufferedReader(new InputStreamReader(fs.open(current), StandardCharsets.UTF_8))) {
            String id = in.readLine();
            return id == null || id.isBlank() ? Optional.empty() : Optional.of(id.strip());
        }
    }

    Path snapshotDir(String id) {
        return new Path(new Path(root, "snapshots"), id);
    }

    Path pairsDir(String id) {
        return new Path(snapshotDir(id), "pairs");
    }

    Path segmentsDir(String id) {
        return new Path(snapshotDir(id), "segments");
    }

    /** Writes what the push could not apply, then makes {@code id} the committed snapshot. */
    void commit(String id, Corrections corrections) throws IOException {
        Path file = new Path(snapshotDir(id), "corrections.jsonl");
        FileSystem fs = file.getFileSystem();
        try (OutputStream out = fs.create(file, FileSystem.WriteMode.OVERWRITE)) {
            out.write(corrections.toJsonLines().getBytes(StandardCharsets.UTF_8));
        }
        Path tmp = new Path(root, "CURRENT.tmp");
        try (OutputStream out = fs.create(tmp, FileSystem.WriteMode.OVERWRITE)) {
            out.write((id + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path current = new Path(root, "CURRENT");
        if (!fs.rename(tmp, current)) {
            // Some file systems do not rename over an existing file.
            fs.delete(current, false);
            if (!fs.rename(tmp, current)) {
                throw new IOException("could not commit snapshot " + id + ": rename of " + tmp + " failed");
            }
        }
        pruneOlderThan(id);
    }

    Corrections corrections(String id) throws IOException {
        Path file = new Path(snapshotDir(id), "corrections.jsonl");
        FileSystem fs = file.getFileSystem();
        Corrections c = new Corrections();
        if (!fs.exists(file)) {
            return c;
        }
        try (var in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    c.add(JSON.readTree(line));
                }
            }
        }
        return c;
    }

    private void pruneOlderThan(String keepId) throws IOException {
        Path dir = new Path(root, "snapshots");
        FileSystem fs = dir.getFileSystem();
        FileStatus[] all = fs.listStatus(dir);
        if (all == null) {
            return;
        }
        List<FileStatus> sorted = new ArrayList<>(Arrays.asList(all));
        sorted.sort(Comparator.comparing((FileStatus s) -> s.getPath().getName()).reversed());
        int kept = 0;
        for (FileStatus s : sorted) {
            String name = s.getPath().getName();
            if (name.equals(keepId) || name.compareTo(keepId) > 0) {
                continue; // never touch the committed one, nor one a concurrent run is writing
            }
            if (++kept >= KEEP) {
                fs.delete(s.getPath(), true);
            }
        }
    }

    /**
     * What the last push could not apply, so the snapshot says what the destinations really hold:
     * a failed ADD means the pair is not on the list; a failed REMOVE means it still is; a failed
     * segment operation leaves the code's state unknown, so the next run sends it again.
     */
    static final class Corrections {
        final Set<String> absentPairs = new HashSet<>();
        final Set<String> presentPairs = new HashSet<>();
        /** code → definition JSON, or null for "not in the import". */
        final Map<String, String> segments = new HashMap<>();

        void failedListOperation(String action, String contactId, long listId) {
            String key = contactId + "," + listId;
            if (action.equals("ADD")) {
                presentPairs.remove(key);
                absentPairs.add(key);
            } else {
                absentPairs.remove(key);
                presentPairs.add(key);
            }
        }

        void failedSegmentOperation(String action, String code) {
            segments.put(code, action.equals("CREATE") ? null : SegmentJson.UNKNOWN);
        }

        boolean isEmpty() {
            return absentPairs.isEmpty() && presentPairs.isEmpty() && segments.isEmpty();
        }

        int size() {
            return absentPairs.size() + presentPairs.size() + segments.size();
        }

        void add(JsonNode n) {
            switch (n.get("type").asText()) {
                case "pair" -> (n.get("present").asBoolean() ? presentPairs : absentPairs)
                        .add(n.get("contact_id").asText() + "," + n.get("list_id").asLong());
                case "segment" -> segments.put(n.get("code").asText(), n.hasNonNull("def") ? n.get("def").toString() : null);
                default -> throw new IllegalArgumentException("unknown correction type " + n.get("type"));
            }
        }

        String toJsonLines() {
            StringBuilder sb = new StringBuilder();
            for (String p : absentPairs) {
                sb.append(pair(p, false)).append('\n');
            }
            for (String p : presentPairs) {
                sb.append(pair(p, true)).append('\n');
            }
            segments.forEach((code, def) -> {
                ObjectNode n = JSON.createObjectNode();
                n.put("type", "segment");
                n.put("code", code);
                if (def != null) {
                    n.set("def", PlannedOperation.read(def));
                } else {
                    n.putNull("def");
                }
                sb.append(n).append('\n');
            });
            return sb.toString();
        }

        private static String pair(String key, boolean present) {
            int comma = key.lastIndexOf(',');
            ObjectNode n = JSON.createObjectNode();
            n.put("type", "pair");
            n.put("contact_id", key.substring(0, comma));
            n.put("list_id", Long.parseLong(key.substring(comma + 1)));
            n.put("present", present);
            return n.toString();
        }
    }
}
