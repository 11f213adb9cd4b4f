package dev.audiencemirror.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.adestra.AdestraSink;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.taxonomy.TaxonomySink;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;
import org.junit.jupiter.api.Test;

/**
 * The connectors' public surface, as a user of them sees it: every public class says whether it is
 * meant for them ({@code @PublicEvolving}: the sinks, their builders and configs, dead letters and
 * the types those take) or only public for the project's own packages ({@code @Internal}).
 */
class ConnectorApiSurfaceTest {
    private static final Set<String> PUBLIC_EVOLVING = Set.of("AdestraSink", "AdestraSinkBuilder", "AdestraSinkConfig",
            "AdestraDeadLetters", "TaxonomySink", "TaxonomySinkBuilder", "TaxonomySinkConfig", "TaxonomyDeadLetters", "TaxonomyImportCodes",
            "DeadLetter", "HttpSinkBuilder", "RetryPolicy", "Secret", "SecretRef");

    @Test
    void everyPublicConnectorClassIsMarkedPublicEvolvingOrInternal() throws Exception {
        Set<String> evolving = new TreeSet<>();
        Set<String> unmarked = new TreeSet<>();
        for (Class<?> anchor : new Class<?>[] {AdestraSink.class, TaxonomySink.class, DeadLetter.class}) {
            for (String name : classNames(anchor)) {
                Class<?> c = Class.forName(name, false, anchor.getClassLoader());
                if (!Modifier.isPublic(c.getModifiers()) || c.getEnclosingClass() != null) {
                    continue;
                }
                boolean pub = c.isAnnotationPresent(PublicEvolving.class);
                boolean internal = c.isAnnotationPresent(Internal.class);
                if (pub == internal) {
                    unmarked.add(c.getName());
                }
                if (pub) {
                    evolving.add(c.getSimpleName());
                }
            }
        }
        assertThat(unmarked).as("public classes marked neither or both").isEmpty();
        assertThat(evolving).isEqualTo(new TreeSet<>(PUBLIC_EVOLVING));
    }

    /** The classes of the module (folder or jar) that holds {@code anchor}, in its package. */
    private static Set<String> classNames(Class<?> anchor) throws Exception {
        URI location = anchor.getProtectionDomain().getCodeSource().getLocation().toURI();
        String pkg = anchor.getPackageName().replace('.', '/');
        Set<String> out = new TreeSet<>();
        Path root = Path.of(location);
        FileSystem jar = Files.isDirectory(root) ? null : FileSystems.newFileSystem(root, Map.of());
        try {
            Path dir = (jar == null ? root : jar.getPath("/")).resolve(pkg);
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class") && !n.contains("$"))
                        .forEach(n -> out.add(anchor.getPackageName() + "." + n.substring(0, n.length() - ".class".length())));
            }
        } finally {
            if (jar != null) {
                jar.close();
            }
        }
        return out;
    }
}
