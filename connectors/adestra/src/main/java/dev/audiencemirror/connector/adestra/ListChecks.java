package dev.audiencemirror.connector.adestra;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a 404 to a removal means, decided per list. Adestra's public material does not say what
 * {@code DELETE /contacts/{id}/lists/{listId}} answers for a contact that is not on the list, and a
 * 404 for a list that does not exist would look the same. So a removal answered 404 waits for the
 * list's check ({@code GET /lists/{id}}): the list exists → the contact is not on it, and the
 * removal is done ("already absent"); it does not → the missing-list dead letter, as for any 404.
 *
 * <p>One check per list at a time: removals of the same list answered 404 meanwhile wait for the
 * same answer. An answer is remembered for {@link #REMEMBER}, so a run of removals of absent
 * contacts costs one check per list a minute, not one per removal; a list deleted meanwhile is
 * noticed within that minute. A check that gets no usable answer (throttled, server error, no
 * answer, key refused) is remembered not at all: its removals go back to the sender, to be handled
 * as that answer says (retried, or the key read again).
 *
 * <p>No HTTP here: the sender sends the checks this hands out ({@link #nextCheck()}) and reports
 * their answers. Not thread-safe: the sender's mailbox thread only.
 *
 * @param <W> a removal waiting for its list's check, as the sender keeps it
 */
final class ListChecks<W> {
    /** How long a list's answer is trusted. */
    static final Duration REMEMBER = Duration.ofMinutes(1);

    /** What is known about a list now. */
    enum Known {
        EXISTS,
        MISSING,
        /** Never checked, or the answer is older than {@link #REMEMBER}: a check is needed. */
        UNKNOWN
    }

    private record Answer(boolean exists, long atNanos) {}

    private final long rememberNanos;
    private final Map<Long, Answer> answers = new HashMap<>();
    /** Per list with a check to send or in flight, the removals waiting for it. */
    private final Map<Long, List<W>> waiting = new HashMap<>();
    /** Lists whose check is yet to be sent, in the order their first removal met a 404. */
    private final ArrayDeque<Long> toSend = new ArrayDeque<>();

    ListChecks() {
        this(REMEMBER);
    }

    ListChecks(Duration remember) {
        this.rememberNanos = remember.toNanos();
    }

    /** What a removal answered 404 on {@code listId} means now, if an answer is remembered. */
    Known known(long listId, long nowNanos) {
        Answer a = answers.get(listId);
        if (a == null) {
            return Known.UNKNOWN;
        }
        if (nowNanos - a.atNanos >= rememberNanos) {
            answers.remove(listId);
            return Known.UNKNOWN;
        }
        return a.exists ? Known.EXISTS : Known.MISSING;
    }

    /**
     * A removal answered 404 on a list about which nothing is known ({@link Known#UNKNOWN}): it
     * waits for the list's check, which is asked for unless one is already waiting or in flight.
     */
    void await(long listId, W removal) {
        List<W> w = waiting.get(listId);
        if (w == null) {
            w = new ArrayList<>();
            waiting.put(listId, w);
            toSend.add(listId);
        }
        w.add(removal);
    }

    /** The next list to check, now in flight; null when there is none to send. */
    Long nextCheck() {
        return toSend.poll();
    }

    /** The list's check answered: the answer is remembered, and the removals that waited for it are returned. */
    List<W> answered(long listId, boolean exists, long nowNanos) {
        answers.put(listId, new Answer(exists, nowNanos));
        return release(listId);
    }

    /** The list's check got no usable answer: nothing is remembered; the removals that waited for it are returned. */
    List<W> unanswered(long listId) {
        return release(listId);
    }

    /** Removals waiting for a check, all lists together. */
    int waitingCount() {
        return waiting.values().stream().mapToInt(List::size).sum();
    }

    private List<W> release(long listId) {
        List<W> w = waiting.remove(listId);
        toSend.remove(listId);
        return w == null ? List.of() : w;
    }
}
