package dev.audiencemirror.redrive;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which refused operations to send again. Per key, the newest record decides (by the operation's
 * version, then by time): a refusal is sent again; a note that an operation was applied (by the
 * stream or by an earlier redrive) means nothing older is. So a letter is skipped as superseded
 * when a newer operation of its key was applied or refused since, and as already re-sent when a
 * redrive applied this very version; a second redrive thus sends nothing the first one got
 * applied. A refusal that a redrive met again is a refusal like any other: the next redrive tries
 * it again.
 */
record RedrivePlan(List<Letter> toSend, int superseded, int alreadyResent, int letters) {

    static RedrivePlan of(List<Letter> records) {
        Comparator<Letter> newestLast = Comparator.comparingLong(Letter::version)
                .thenComparingLong(Letter::timeMillis);
        Map<String, List<Letter>> byKey = new LinkedHashMap<>();
        for (Letter l : records) {
            byKey.computeIfAbsent(l.key(), k -> new ArrayList<>()).add(l);
        }
        List<Letter> toSend = new ArrayList<>();
        int superseded = 0;
        int alreadyResent = 0;
        int letters = 0;
        for (List<Letter> key : byKey.values()) {
            Letter newest = key.stream().max(newestLast).orElseThrow();
            boolean sendNewest = !newest.isAppliedNote();
            if (sendNewest) {
                toSend.add(newest);
            }
            for (Letter l : key) {
                if (l.isAppliedNote()) {
                    continue;
                }
                letters++;
                long v = l.version();
                if (v < newest.version()) {
                    superseded++;
                } else if (!sendNewest) {
                    alreadyResent++;
                }
            }
        }
        return new RedrivePlan(List.copyOf(toSend), superseded, alreadyResent, letters);
    }
}
