package dev.audiencemirror.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Typed reads of JSON fields for the parsers. Each takes the parent object, the parent's path
 * ({@code ""} at the top) and the field name, and throws {@link FieldException} naming the full
 * path and what was expected. Paths are only built on the error path, keeping good lines cheap.
 */
public final class JsonFields {
    private JsonFields() {}

    private static final int SHOWN_VALUE_CHARS = 60;

    public static String path(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    public static String path(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** A string that is present and not blank. */
    public static String requiredString(ObjectNode obj, String parent, String name) {
        JsonNode n = present(obj, parent, name);
        return nonBlank(n, parent, name);
    }

    /** A string that is not blank, or {@code null} when the field is absent or JSON null. */
    public static String optionalString(ObjectNode obj, String parent, String name) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        return nonBlank(n, parent, name);
    }

    /** A whole number that fits an {@code int}; {@code 1.0} and {@code "1"} are refused. */
    public static int requiredInt(ObjectNode obj, String parent, String name) {
        JsonNode n = present(obj, parent, name);
        if (!n.isIntegralNumber()) {
            throw wrongType(parent, name, "an integer", n);
        }
        if (!n.canConvertToInt()) {
            throw new FieldException(path(parent, name), "must be an integer between "
                    + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE + ", got " + describe(n));
        }
        return n.intValue();
    }

    /** A finite number at least zero, or {@code null} when absent or JSON null. */
    public static Double optionalNonNegativeNumber(ObjectNode obj, String parent, String name) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw wrongType(parent, name, "a number", n);
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d) || d < 0) {
            throw new FieldException(path(parent, name), "must be a number of at least 0, got " + describe(n));
        }
        return d;
    }

    /** A whole number or a non-blank string, as text: IDs that producers write either way. */
    public static String requiredIdText(ObjectNode obj, String parent, String name) {
        JsonNode n = present(obj, parent, name);
        if (n.isIntegralNumber()) {
            return n.asText();
        }
        if (n.isTextual()) {
            return nonBlank(n, parent, name);
        }
        throw wrongType(parent, name, "a whole number or a string", n);
    }

    public static ObjectNode requiredObject(ObjectNode obj, String parent, String name) {
        JsonNode n = present(obj, parent, name);
        if (!n.isObject()) {
            throw wrongType(parent, name, "an object", n);
        }
        return (ObjectNode) n;
    }

    /** An object, or {@code null} when absent or JSON null. */
    public static ObjectNode optionalObject(ObjectNode obj, String parent, String name) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw wrongType(parent, name, "an object", n);
        }
        return (ObjectNode) n;
    }

    public static ArrayNode requiredArray(ObjectNode obj, String parent, String name) {
        JsonNode n = present(obj, parent, name);
        if (!n.isArray()) {
            throw wrongType(parent, name, "an array", n);
        }
        return (ArrayNode) n;
    }

    /** An array, or {@code null} when absent or JSON null. */
    public static ArrayNode optionalArray(ObjectNode obj, String parent, String name) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw wrongType(parent, name, "an array", n);
        }
        return (ArrayNode) n;
    }

    /** Element {@code index} of an array as an object. */
    public static ObjectNode objectAt(ArrayNode array, String arrayPath, int index) {
        JsonNode n = array.get(index);
        if (!n.isObject()) {
            throw new FieldException(path(arrayPath, index), "must be an object, got " + describe(n));
        }
        return (ObjectNode) n;
    }

    /** Element {@code index} of an array as a non-blank string. */
    public static String stringAt(ArrayNode array, String arrayPath, int index) {
        JsonNode n = array.get(index);
        if (!n.isTextual()) {
            throw new FieldException(path(arrayPath, index), "must be a string, got " + describe(n));
        }
        if (n.textValue().isBlank()) {
            throw new FieldException(path(arrayPath, index), "must not be empty");
        }
        return n.textValue();
    }

    /** An ISO 8601 timestamp with a zone offset, e.g. {@code 2026-11-27T05:00:00Z}. */
    public static Instant requiredInstant(ObjectNode obj, String parent, String name) {
        JsonNode n = present(obj, parent, name);
        if (!n.isTextual()) {
            throw wrongType(parent, name, "an ISO 8601 timestamp string", n);
        }
        try {
            return IsoInstants.parse(n.textValue());
        } catch (DateTimeParseException e) {
            throw new FieldException(path(parent, name),
                    "must be an ISO 8601 timestamp with a zone offset, e.g. 2026-11-27T05:00:00Z, got "
                            + describe(n));
        }
    }

    /** What a node is, for error text: its JSON type and, for scalars, the value (shortened). */
    public static String describe(JsonNode n) {
        return switch (n.getNodeType()) {
            case STRING -> "string " + shorten(n.toString());
            case NUMBER -> "number " + shorten(n.asText());
            case BOOLEAN -> "boolean " + n.asText();
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> n.getNodeType().name().toLowerCase();
        };
    }

    private static JsonNode present(ObjectNode obj, String parent, String name) {
        JsonNode n = obj.get(name);
        if (n == null) {
            throw new FieldException(path(parent, name), "required field is missing");
        }
        if (n.isNull()) {
            throw new FieldException(path(parent, name), "required field is null");
        }
        return n;
    }

    private static String nonBlank(JsonNode n, String parent, String name) {
        if (!n.isTextual()) {
            throw wrongType(parent, name, "a string", n);
        }
        String s = n.textValue();
        if (s.isBlank()) {
            throw new FieldException(path(parent, name), "must not be empty");
        }
        return s;
    }

    private static FieldException wrongType(String parent, String name, String expected, JsonNode got) {
        return new FieldException(path(parent, name), "must be " + expected + ", got " + describe(got));
    }

    private static String shorten(String s) {
        return s.length() <= SHOWN_VALUE_CHARS ? s : s.substring(0, SHOWN_VALUE_CHARS) + "…";
    }
}
