package dev.audiencemirror.redrive;

import dev.audiencemirror.connector.adestra.AdestraDeadLetters;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.listop.ListOperation;
import java.util.Optional;

/**
 * One Adestra record of a dead-letter output, as {@link DeadLetter#toJson()} wrote it: a refusal,
 * or (status 2xx) a note that a newer operation of the key was applied.
 *
 * @param position where it was read, for messages ({@code file:line} or {@code topic/partition:offset})
 */
record Letter(String key, ListOperation operation, String operationJson, int status, String reason, long timeMillis,
        String position, String rawJson) {
    boolean isAppliedNote() {
        return DeadLetter.isAppliedNote(status);
    }

    /** The Adestra letter in {@code line}, or empty for another destination's or an unreadable line. */
    static Optional<Letter> parse(String line, String position) {
        try {
            DeadLetter letter = DeadLetter.fromJson(line);
            if (!AdestraDeadLetters.isFrom(letter)) {
                return Optional.empty();
            }
            return Optional.of(new Letter(letter.key(), AdestraDeadLetters.operation(letter), letter.operation(), letter.status(),
                    letter.reason(), letter.timeMillis(), position, line));
        } catch (Exception unreadable) {
            return Optional.empty();
        }
    }
}
