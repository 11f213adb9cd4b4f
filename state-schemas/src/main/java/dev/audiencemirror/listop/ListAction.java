package dev.audiencemirror.listop;

/** What to do with a contact on an Adestra list: {@code POST} (add) or {@code DELETE} (remove). */
public enum ListAction {
    ADD,
    REMOVE
}
