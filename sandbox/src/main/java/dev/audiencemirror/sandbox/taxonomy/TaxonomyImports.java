package dev.audiencemirror.sandbox.taxonomy;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The Taxonomy side's state: the audience imports, each with its segments. */
public final class TaxonomyImports {

    /** An import's name and segments, for the state file. */
    public record ImportState(String name, List<Segment> segments) {}

    private final ConcurrentHashMap<String, TaxonomyImport> imports = new ConcurrentHashMap<>();
    private final Runnable onChange;

    /** @param onChange run after every change of state, e.g. to schedule a state-file write */
    public TaxonomyImports(Runnable onChange) {
        this.onChange = onChange;
    }

    /** The import, or null. */
    public TaxonomyImport get(String importId) {
        return imports.get(importId);
    }

    /** Creates an empty import unless it exists; true if created. */
    public boolean create(String importId, String name) {
        boolean created = imports.putIfAbsent(importId, new TaxonomyImport(importId, name, List.of(), onChange)) == null;
        if (created) {
            onChange.run();
        }
        return created;
    }

    /** Creates the import or replaces it (name and segments); true if created. */
    public boolean put(String importId, String name, Collection<Segment> segments) {
        boolean created = imports.put(importId, new TaxonomyImport(importId, name, segments, onChange)) == null;
        onChange.run();
        return created;
    }

    public boolean delete(String importId) {
        boolean deleted = imports.remove(importId) != null;
        if (deleted) {
            onChange.run();
        }
        return deleted;
    }

    /** Import id → import, sorted by id. */
    public Map<String, TaxonomyImport> all() {
        return new TreeMap<>(imports);
    }

    public Map<String, ImportState> snapshot() {
        Map<String, ImportState> out = new TreeMap<>();
        imports.forEach((id, imp) -> out.put(id, new ImportState(imp.name(), List.copyOf(imp.segments().values()))));
        return out;
    }

    public void restore(Map<String, ImportState> state) {
        imports.clear();
        state.forEach((id, s) -> put(id, s.name(), s.segments() == null ? List.of() : s.segments()));
    }
}
