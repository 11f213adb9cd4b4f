package dev.audiencemirror.stream;

import dev.audiencemirror.identity.IdentityParser;
import dev.audiencemirror.identity.IdentityRecord;

/** Identity records of the streaming job (the parser checks contact IDs under the alias tag). */
final class ParseIdentities extends ParseRecords<IdentityRecord> {
    private static final long serialVersionUID = 1L;

    ParseIdentities(String aliasTag) {
        super("identities", new IdentityParser(aliasTag));
    }
}
