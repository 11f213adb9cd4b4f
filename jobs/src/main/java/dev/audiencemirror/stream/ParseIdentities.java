package dev.audiencemirror.stream;

import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.identity.IdentityParser;
import dev.audiencemirror.identity.IdentityRecord;
import dev.audiencemirror.identity.PositionedIdentity;
import org.apache.flink.util.Collector;

/**
 * Identity records of the streaming job (the parser checks contact IDs under the alias tag), with
 * their input position: it breaks ties in event time ({@link UserMembership}).
 */
final class ParseIdentities extends ParseRecords<IdentityRecord, PositionedIdentity> {
    private static final long serialVersionUID = 1L;

    ParseIdentities(String aliasTag) {
        super("identities", new IdentityParser(aliasTag));
    }

    @Override
    void emit(IdentityRecord r, NumberedLine line, Context ctx, Collector<PositionedIdentity> out) {
        out.collect(new PositionedIdentity(r, line.source(), line.number()));
    }
}
