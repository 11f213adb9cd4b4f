package dev.audiencemirror.config;

/**
 * The streaming job's config as a nightly run reads it ({@code nightly.stream-config}): which lists
 * that job writes, and where it reads the assertions a nightly run hands it.
 *
 * @param source the file it was read from, as given
 */
public record StreamJobConfig(String source, MirrorConfig config) {

    /** The Kafka topic of the assertions (the stream in Kafka mode), else null. */
    public String assertionsTopic() {
        return config.kafka().map(KafkaSettings::assertionsTopic).orElse(null);
    }

    /** The watched folder of the assertions (the stream in file mode), else null. */
    public String assertionsFolder() {
        return config.kafka().isPresent() ? null : config.inputs().assertions().orElse(null);
    }

    /** Where the assertions go, for reports: {@code kafka topic X} or {@code folder Y}. */
    public String assertionsTarget() {
        return assertionsTopic() != null ? "Kafka topic " + assertionsTopic() : "folder " + assertionsFolder();
    }
}
