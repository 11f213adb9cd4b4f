package dev.audiencemirror.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Which changes reach a destination, with the names reverse-ETL tools use. */
public enum SyncMode {
    /** Only additions. */
    ADD(true, false, false),
    /** Only removals. */
    REMOVE(false, true, false),
    /** Additions, updates and removals: the destination ends equal to the source. */
    MIRROR(true, true, true),
    /** Additions and updates, never removals (taxonomy rows). */
    UPSERT(true, false, true);

    private final boolean adds;
    private final boolean removes;
    private final boolean updates;

    SyncMode(boolean adds, boolean removes, boolean updates) {
        this.adds = adds;
        this.removes = removes;
        this.updates = updates;
    }

    public boolean adds() {
        return adds;
    }

    public boolean removes() {
        return removes;
    }

    public boolean updates() {
        return updates;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SyncMode> fromConfigName(String name) {
        return Arrays.stream(values()).filter(m -> m.configName().equals(name)).findFirst();
    }
}
