package dev.audiencemirror.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A file that is not YAML, as one problem: the parser's reason and the place it found it. Never
 * the file's text, which the parser's own message quotes and where a secret may sit.
 */
final class YamlProblem {
    private YamlProblem() {}

    static String of(JsonProcessingException e) {
        // Jackson's location is where its last token started, often a line before the fault (a tab
        // that starts line 2 is reported on line 1); the YAML parser's own mark is the fault's.
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            String problem = reason(yaml.getProblem());
            String context = yaml.getContext() == null || yaml.getContextMark() == null ? ""
                    : " (" + yaml.getContext() + " that starts at " + at(yaml.getContextMark()) + ")";
            return "not valid YAML at " + at(yaml.getProblemMark()) + ": " + problem + context;
        }
        JsonLocation loc = e.getLocation();
        return "not valid YAML" + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr());
    }

    private static String at(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    /** The parser's words, on one line; a tab is named as what it is. */
    private static String reason(String problem) {
        if (problem == null || problem.isBlank()) {
            return "the parser gives no reason";
        }
        if (problem.contains("(TAB)")) {
            return "a tab character; YAML indents with spaces only";
        }
        return problem.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
