package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.sandbox.taxonomy.Segment;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.taxonomyop.TaxonomyAction;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Deterministic segment operations for tests, and the import they must produce, computed here by
 * applying them in order to a map: Create and Update make the code hold the definition (the
 * connector turns 409/404 into the other one), Delete removes it.
 */
final class SegmentOperations {
    private static final List<String> CATEGORIES = List.of("sports", "news", "tech", "autos", "travel");

    private SegmentOperations() {}

    static String code(int i) {
        return String.format("seg-%06d", i);
    }

    /** A definition that depends only on (seed, code, n); optional fields are sometimes absent. */
    static SegmentDefinition definition(long seed, String code, long n) {
        SplittableRandom r = new SplittableRandom(seed * 31 + n * 1_000_003L + code.hashCode());
        String description = r.nextInt(10) < 3 ? null : "Audience " + code + " revision " + n;
        Double cpm = r.nextInt(10) < 3 ? null : r.nextInt(2_000) / 100.0;
        List<String> categories = null;
        if (r.nextInt(10) >= 3) {
            categories = new ArrayList<>();
            int k = r.nextInt(4);
            for (int i = 0; i < k; i++) {
                categories.add(CATEGORIES.get(r.nextInt(CATEGORIES.size())));
            }
        }
        return new SegmentDefinition(code, "Segment " + code + " #" + n, description, cpm, categories);
    }

    static Segment segment(SegmentDefinition d) {
        return new Segment(d.code(), d.name(), d.description(), d.cpm(), d.categories());
    }

    /**
     * The import after applying {@code ops} in order to {@code initial}, as
     * {@code SandboxClient.importDefinitions} reads it: an empty description, CPM or category list
     * as absent (the writer sends a removed field as its empty value).
     */
    static SortedMap<String, Segment> expected(Collection<Segment> initial, List<TaxonomyOperation> ops) {
        SortedMap<String, Segment> model = new TreeMap<>();
        initial.forEach(s -> model.put(s.code(), s.asDefinition()));
        for (TaxonomyOperation op : ops) {
            if (op.action() == TaxonomyAction.DELETE) {
                model.remove(op.code());
            } else {
                model.put(op.code(), segment(op.data()).asDefinition());
            }
        }
        return model;
    }

    /** Segments {@code seg-000000 … } for the import's starting state. */
    static List<Segment> initial(long seed, int count) {
        List<Segment> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(segment(definition(seed, code(i), 0)));
        }
        return out;
    }

    /**
     * What a mirror run produces: Create for a code the destination lacks, Update (70%) or Delete
     * (30%) for one it has, as a job diffing source against destination would. Versions grow with
     * the index.
     */
    static List<TaxonomyOperation> mirror(long seed, int initialCount, int codes, int n) {
        boolean[] exists = new boolean[codes];
        for (int i = 0; i < Math.min(initialCount, codes); i++) {
            exists[i] = true;
        }
        SplittableRandom r = new SplittableRandom(seed);
        List<TaxonomyOperation> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(codes);
            String code = code(c);
            long version = i + 1;
            if (!exists[c]) {
                ops.add(TaxonomyOperation.create(definition(seed, code, version), version));
                exists[c] = true;
            } else if (r.nextInt(10) < 7) {
                ops.add(TaxonomyOperation.update(definition(seed, code, version), version));
            } else {
                ops.add(TaxonomyOperation.delete(code, version));
                exists[c] = false;
            }
        }
        return ops;
    }

    /** A generator serving a precomputed mirror run, computed on first use in the task (not shipped in the job graph). */
    static final class Mirror implements GeneratorFunction<Long, TaxonomyOperation> {
        private static final long serialVersionUID = 1L;
        private final long seed;
        private final int initialCount;
        private final int codes;
        private final int n;
        private transient List<TaxonomyOperation> ops;

        Mirror(long seed, int initialCount, int codes, int n) {
            this.seed = seed;
            this.initialCount = initialCount;
            this.codes = codes;
            this.n = n;
        }

        @Override
        public TaxonomyOperation map(Long index) {
            if (ops == null) {
                ops = mirror(seed, initialCount, codes, n);
            }
            return ops.get(index.intValue());
        }
    }

    /**
     * Random operations, each a function of (seed, index) only, so a source can regenerate any
     * suffix after a restore: Create 40%, Update 35%, Delete 25%, on codes the destination may or
     * may not have (the connector's 409 → Update, 404 → Create, Delete 404 → done make them exact).
     */
    static final class Random implements GeneratorFunction<Long, TaxonomyOperation> {
        private static final long serialVersionUID = 1L;
        private final long seed;
        private final int codes;
        private final int createPercent;
        private final int updatePercent;

        /** 40% creates, 35% updates, 25% deletes. */
        Random(long seed, int codes) {
            this(seed, codes, 40, 35);
        }

        /** The rest of 100% are deletes. */
        Random(long seed, int codes, int createPercent, int updatePercent) {
            this.seed = seed;
            this.codes = codes;
            this.createPercent = createPercent;
            this.updatePercent = updatePercent;
        }

        @Override
        public TaxonomyOperation map(Long index) {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
            String code = code(r.nextInt(codes));
            long version = index + 1;
            int pick = r.nextInt(100);
            if (pick < createPercent) {
                return TaxonomyOperation.create(definition(seed, code, version), version);
            }
            if (pick < createPercent + updatePercent) {
                return TaxonomyOperation.update(definition(seed, code, version), version);
            }
            return TaxonomyOperation.delete(code, version);
        }

        List<TaxonomyOperation> first(int n) {
            List<TaxonomyOperation> out = new ArrayList<>(n);
            for (long i = 0; i < n; i++) {
                out.add(map(i));
            }
            return out;
        }
    }
}
