package dev.audiencemirror.segment;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The code of a segment definition that gives none, derived from its name, one rule for both jobs
 * and the schema ({@code schemas/segment.schema.json}); Zeotap's guide to the Taxonomy API: "Leave
 * blank to auto-generate from the segment name". Accents are dropped ({@code é} → {@code e}), the
 * name is lower-cased, every run of characters other than {@code a-z} and {@code 0-9} becomes one
 * {@code _}, and {@code _} at either end is removed: {@code "Sports & Outdoors (UK)"} →
 * {@code "sports_outdoors_uk"}. A name with no such letter or digit gives no code.
 */
public final class SegmentCodes {
    private SegmentCodes() {}

    /** The code {@code name} gives; empty when it has no letter or digit a code can hold. */
    public static String fromName(String name) {
        String plain = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        String code = plain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        int from = 0;
        int to = code.length();
        while (from < to && code.charAt(from) == '_') {
            from++;
        }
        while (to > from && code.charAt(to - 1) == '_') {
            to--;
        }
        return code.substring(from, to);
    }
}
