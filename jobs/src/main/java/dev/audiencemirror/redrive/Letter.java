package dev.audiencemirror.redrive;

import dev.audiencemirror.connector.adestra.AdestraDeadLetters;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.taxonomy.TaxonomyDeadLetters;
import java.util.Optional;

/**
 * One record of a dead-letter output, as {@link DeadLetter#toJson()} wrote it: a refusal, or
 * (status 2xx) a note that a newer operation of the key was applied.
 *
 * @param version  the operation's version: per key, the newest decides what a redrive does
 * @param position where it was read, for messages ({@code file:line} or {@code topic/partition:offset})
 */
record Letter(Destination destination, String key, long version, DeadLetter letter, String position, String rawJson) {

    /** The outputs a redrive reads, each with its sink's way of reading an operation back. */
    enum Destination {
        ADESTRA(AdestraDeadLetters.DESTINATION, "Adestra"),
        TAXONOMY(TaxonomyDeadLetters.DESTINATION, "Taxonomy");

        /** The {@link DeadLetter#destination()}, folder name and Kafka kind header of its letters. */
        final String id;
        final String title;

        Destination(String id, String title) {
            this.id = id;
            this.title = title;
        }

        long version(DeadLetter letter) {
            return this == ADESTRA ? AdestraDeadLetters.operation(letter).version() : TaxonomyDeadLetters.row(letter).version();
        }
    }

    boolean isAppliedNote() {
        return letter.isAppliedNote();
    }

    long timeMillis() {
        return letter.timeMillis();
    }

    /** The letter of {@code destination} in {@code line}, or empty for another destination's or an unreadable line. */
    static Optional<Letter> parse(Destination destination, String line, String position) {
        try {
            DeadLetter letter = DeadLetter.fromJson(line);
            if (!destination.id.equals(letter.destination())) {
                return Optional.empty();
            }
            return Optional.of(new Letter(destination, letter.key(), destination.version(letter), letter, position, line));
        } catch (Exception unreadable) {
            return Optional.empty();
        }
    }
}
