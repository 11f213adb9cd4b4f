package dev.audiencemirror.listop;

import java.io.IOException;

/**
 * The byte that stands for a {@link ListAction} in every serializer format (1 ADD, 2 REMOVE; 0 in
 * formats where the action may be absent). Explicit codes, so reordering the enum cannot change
 * what stored bytes mean. Part of the formats: never change a code.
 */
public final class ListActionCodes {
    private ListActionCodes() {}

    public static final byte NONE = 0;

    public static byte code(ListAction action) {
        if (action == null) {
            return NONE;
        }
        return action == ListAction.ADD ? (byte) 1 : (byte) 2;
    }

    /** The action for {@code code}; 0 is an error here (use {@link #nullableAction}). */
    public static ListAction action(byte code) throws IOException {
        ListAction a = nullableAction(code);
        if (a == null) {
            throw new IOException("corrupt state: ListAction code 0 where an action is required");
        }
        return a;
    }

    /** The action for {@code code}, {@code null} for {@link #NONE}. */
    public static ListAction nullableAction(byte code) throws IOException {
        return switch (code) {
            case NONE -> null;
            case 1 -> ListAction.ADD;
            case 2 -> ListAction.REMOVE;
            default -> throw new IOException("corrupt state: unknown ListAction code " + code);
        };
    }
}
