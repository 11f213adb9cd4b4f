package dev.audiencemirror.serialization;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A serializer snapshot whose version is the version of the binary format of the values. Flink
 * writes {@link #getCurrentVersion()} into every checkpoint and savepoint next to this class's
 * name and hands it back to {@link #readSnapshot} on restore, so nothing else needs storing.
 *
 * <p>On restore, state written in an older format is migrated: Flink reads it with
 * {@link #restoreSerializer()} (the serializer for that old format, kept for this purpose) and
 * writes it again with the current one. A format newer than this build knows is refused with a
 * message saying so, rather than read as garbage.
 *
 * <p>Subclasses need a public no-argument constructor (Flink instantiates them by class name),
 * and their class name must never change: it is stored in savepoints.
 */
public abstract class VersionedSerializerSnapshot<T> implements TypeSerializerSnapshot<T> {

    private final String typeName;
    private final int currentVersion;
    private int formatVersion;

    protected VersionedSerializerSnapshot(String typeName, int currentVersion) {
        this.typeName = typeName;
        this.currentVersion = currentVersion;
        this.formatVersion = currentVersion;
    }

    /**
     * The serializer that reads (and writes) format {@code version}, or {@code null} if this
     * build cannot read that version.
     */
    protected abstract TypeSerializer<T> serializerForVersion(int version);

    /** The format version of the state this snapshot describes. */
    public final int formatVersion() {
        return formatVersion;
    }

    @Override
    public final int getCurrentVersion() {
        return currentVersion;
    }

    @Override
    public final void writeSnapshot(DataOutputView out) {
        // The version Flink writes in front of the snapshot is all the configuration there is.
    }

    @Override
    public final void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader)
            throws IOException {
        if (serializerForVersion(readVersion) == null) {
            throw new IOException("The state holds " + typeName + " in serializer format v" + readVersion
                    + ", which this build cannot read (it reads up to v" + currentVersion
                    + "). Restore with the build that wrote it, or one that knows format v" + readVersion + ".");
        }
        this.formatVersion = readVersion;
    }

    @Override
    public final TypeSerializer<T> restoreSerializer() {
        return serializerForVersion(formatVersion);
    }

    @Override
    public final TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
            TypeSerializerSnapshot<T> oldSerializerSnapshot) {
        if (oldSerializerSnapshot == null || oldSerializerSnapshot.getClass() != getClass()) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        int old = ((VersionedSerializerSnapshot<T>) oldSerializerSnapshot).formatVersion;
        if (old == formatVersion) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        if (old < formatVersion && serializerForVersion(old) != null) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return TypeSerializerSchemaCompatibility.incompatible();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + typeName + " v" + formatVersion + "}";
    }
}
