package dev.audiencemirror.sandbox.taxonomy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * A segment as the published contract shows it (OpenAPI schema {@code Segment}; snake_case on the wire, as
 * the document's examples are): {@code id} (UUID), {@code code}, {@code name}, {@code import_id},
 * {@code description?}, {@code cpm?}, {@code categories?}, {@code updated_at} (ISO-8601 instant, to the
 * microsecond as in the document's example).
 */
public record PublishedSegment(String id, String code, String name, String importId, String description, Double cpm,
                               List<String> categories, String updatedAt) {

    static PublishedSegment of(String importId, Segment s, Instant updatedAt) {
        return new PublishedSegment(idOf(importId, s.code()), s.code(), s.name(), importId, s.description(), s.cpm(),
                s.categories(), updatedAt.truncatedTo(ChronoUnit.MICROS).toString());
    }

    /**
     * A stable id per (import, code), derived rather than stored, so the state file need not change and a
     * restarted sandbox gives the same ids.
     */
    public static String idOf(String importId, String code) {
        return UUID.nameUUIDFromBytes((importId + "\n" + code).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
