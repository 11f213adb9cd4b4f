package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.connector.common.HttpClients;
import dev.audiencemirror.connector.common.Secret;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The segment codes an import holds now, read page by page ({@code GET /imports/{id}/segments}) the
 * way the writer reads them, with the sink's key and retry policy: for a job's main to report on the
 * import (the nightly run counts the codes no input names) without sending anything.
 */
@PublicEvolving
public final class TaxonomyImportCodes {
    private TaxonomyImportCodes() {}

    /** Every code of the import {@code config} writes; an {@link IOException} saying why when it cannot be read. */
    public static Set<String> read(TaxonomySinkConfig config) throws IOException, InterruptedException {
        HttpClient client = HttpClients.create(config.requestTimeout());
        SegmentBatchRequestConverter converter = new SegmentBatchRequestConverter(config);
        Secret key = config.apiKey().resolve();
        Set<String> codes = new TreeSet<>();
        String token = null;
        do {
            String page = token;
            HttpResponse<String> answer = TaxonomyPreflight.send(client, config, () -> converter.listSegments(page, key),
                    "reading the segments of import " + config.importId());
            SegmentsPage read = SegmentsPage.of(answer, null);
            if (read.answerClass() != TaxonomyAnswerClass.APPLIED) {
                throw new IOException("Permutive answered HTTP " + read.status() + " while reading the segments of import "
                        + config.importId() + ": " + read.error().describe());
            }
            codes.addAll(read.codes());
            token = read.nextToken();
        } while (token != null);
        return codes;
    }
}
