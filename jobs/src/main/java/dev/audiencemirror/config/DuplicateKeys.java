package dev.audiencemirror.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every key given twice in a YAML config, each as {@code path: given twice at line L, column C;
 * keep one}, so that all of them are reported at once (a strict parser stops at the first). Only
 * keys and their places are reported: a value, possibly a secret, never is.
 */
final class DuplicateKeys {
    private static final YAMLFactory YAML = new YAMLFactory();

    private DuplicateKeys() {}

    static List<String> in(String yaml) throws IOException {
        List<String> problems = new ArrayList<>();
        Deque<Set<String>> seen = new ArrayDeque<>();
        Deque<String> path = new ArrayDeque<>();
        try (JsonParser p = YAML.createParser(yaml)) {
            String pendingKey = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case START_OBJECT -> {
                        path.addLast(pendingKey == null ? "" : pendingKey);
                        seen.addLast(new HashSet<>());
                        pendingKey = null;
                    }
                    case END_OBJECT -> {
                        seen.removeLast();
                        path.removeLast();
                    }
                    case START_ARRAY -> {
                        path.addLast(pendingKey == null ? "" : pendingKey);
                        seen.addLast(new HashSet<>());
                        pendingKey = null;
                    }
                    case END_ARRAY -> {
                        seen.removeLast();
                        path.removeLast();
                    }
                    case FIELD_NAME -> {
                        String key = p.currentName();
                        if (!seen.getLast().add(key)) {
                            var loc = p.currentTokenLocation();
                            problems.add(join(path, key) + ": given twice at line " + loc.getLineNr() + ", column "
                                    + loc.getColumnNr() + "; keep one");
                        }
                        pendingKey = key;
                    }
                    default -> pendingKey = null;
                }
            }
        }
        return problems;
    }

    private static String join(Deque<String> path, String key) {
        StringBuilder sb = new StringBuilder();
        for (String part : path) {
            if (!part.isEmpty()) {
                sb.append(part).append('.');
            }
        }
        return sb.append(key).toString();
    }
}
