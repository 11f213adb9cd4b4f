package dev.audiencemirror.identity;

import java.util.Objects;

/**
 * One of a user's IDs in another system, e.g. {@code {tag: "adestra", id: "4711", priority: 0}}.
 *
 * @param priority lower number = higher priority, when a user has several IDs with one tag
 */
public record Alias(String tag, String id, int priority) {
    public Alias {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(id, "id");
    }
}
