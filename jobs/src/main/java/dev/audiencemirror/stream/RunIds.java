package dev.audiencemirror.stream;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids of one run of a keyed operator's subtask, kept in state next to what that run wrote, so a
 * later run tells its own writes from restored ones. Never 0, which state uses for "no run".
 */
final class RunIds {
    private RunIds() {}

    static long next() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }
}
