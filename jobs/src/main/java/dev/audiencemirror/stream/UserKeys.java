package dev.audiencemirror.stream;

import dev.audiencemirror.event.MembershipEvent;
import dev.audiencemirror.identity.PositionedIdentity;

/**
 * The key of the per-user state. Identity records and most events name a Permutive user ID, which
 * is the key. An event may instead name its user by the contact alias (tag = the configured alias
 * tag, e.g. {@code {"tag": "adestra", "id": "4711"}}): no identity record can tie it to a
 * Permutive user (those are keyed by user ID), but it needs none, since it carries the Contact ID
 * itself. Such events are keyed {@code alias:<tag>:<id>}, a user of its own whose contact is that
 * ID. (Permutive user IDs are UUIDs and never start with {@code alias:}.) Events naming other alias
 * tags cannot be resolved and are rejected before keying ({@link ParseEvents}).
 */
final class UserKeys {
    private UserKeys() {}

    static final String ALIAS_PREFIX = "alias:";

    static String of(PositionedIdentity r) {
        return r.record().userId();
    }

    static String of(MembershipEvent e) {
        return e.byAlias() ? ALIAS_PREFIX + e.aliasTag() + ":" + e.aliasId() : e.userId();
    }
}
