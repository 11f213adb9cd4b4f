package dev.audiencemirror.config;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One deployment's configuration, validated as a whole by {@link ConfigLoader}. Immutable. The API
 * keys are held as where they are ({@link dev.audiencemirror.connector.common.SecretRef}), checked
 * readable when the config was loaded; the Kafka client's secret properties as
 * {@link dev.audiencemirror.connector.common.Secret}s, which print masked.
 *
 * @param activations cohort (Permutive segment id) to Adestra list ID, sorted by cohort
 */
public record MirrorConfig(
        String source,
        String aliasTag,
        SyncMode syncMode,
        SortedMap<String, Long> activations,
        AdestraSettings adestra,
        TaxonomySettings taxonomy,
        InputSettings inputs,
        Optional<KafkaSettings> kafka,
        NightlySettings nightly,
        StreamSettings stream,
        Map<String, String> flink) {}
