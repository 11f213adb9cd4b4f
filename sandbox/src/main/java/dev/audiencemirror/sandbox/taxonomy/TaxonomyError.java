package dev.audiencemirror.sandbox.taxonomy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.sandbox.http.Json;
import dev.audiencemirror.sandbox.http.Response;
import java.util.UUID;

/**
 * The published contract's error answers, other than its plain-text 400s. Facts, from Permutive's
 * Taxonomy API OpenAPI document (v1) and its error page (docs.permutive.com/api/errors):
 * <ul>
 *   <li>Every non-2xx answer other than a 400 is one JSON object for the whole request (the OpenAPI
 *       {@code default} response, schema {@code HttpErrorResponse}): a request id (UUID) and an {@code error}.
 *       There is no per-row error and no row index anywhere in it.</li>
 *   <li>The error is one of a fixed set of types ({@code HttpError}: {@code AlreadyExists},
 *       {@code DoesNotExist}, {@code InvalidAPIKey}, {@code InsufficientAPIKey}, {@code AuthorizationMissing},
 *       {@code UnspecifiedInternalError}, …). No field names the type on the wire.</li>
 *   <li>On the wire (the error page's example, and the error examples of Permutive's other API documents) it is
 *       {@code {"request_id":"<uuid>","error":{"status":"<HTTP reason phrase>","code":<numeric subcode>,
 *       "message":"…","cause":"…","docs":"<url>"}}}; every field is always there except {@code cause}.</li>
 *   <li>The OpenAPI schema spells the id {@code requestId}; the same document's schemas also say
 *       {@code importId}, {@code updatedAt}, {@code nextToken}, while its examples, written by the API's encoder,
 *       say {@code import_id}, {@code updated_at}, {@code next_token}. The wire is snake_case, so the sandbox
 *       sends {@code request_id}, as the error page shows. A client should read either.</li>
 *   <li>Published subcodes: 2000 invalid API key, 2004 authentication missing, 2001 key without access to the
 *       operation, 3000 does not exist, 4000 already exists, 5000 unspecified internal error. Permutive publishes
 *       no 429 and no other subcode; for those the sandbox sends the HTTP status as the code.</li>
 * </ul>
 */
public enum TaxonomyError {

    INVALID_API_KEY("InvalidAPIKey", 401, 2000),
    AUTHORIZATION_MISSING("AuthorizationMissing", 401, 2004),
    INSUFFICIENT_API_KEY("InsufficientAPIKey", 403, 2001),
    DOES_NOT_EXIST("DoesNotExist", 404, 3000),
    ALREADY_EXISTS("AlreadyExists", 409, 4000),
    UNSPECIFIED_INTERNAL_ERROR("UnspecifiedInternalError", 500, 5000);

    /** Where every error's {@code docs} field points. */
    public static final String DOCS = "https://docs.permutive.com/api/errors";

    private final String type;
    private final int status;
    private final int code;

    TaxonomyError(String type, int status, int code) {
        this.type = type;
        this.status = status;
        this.code = code;
    }

    /** The type's name in the OpenAPI document, e.g. {@code AlreadyExists}. */
    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    /** The numeric subcode sent as {@code error.code}. */
    public int code() {
        return code;
    }

    /** This error for the whole request; {@code cause} may be null (it is the one optional field). */
    public Response answer(String message, String cause) {
        return envelope(status, code, message, cause);
    }

    /**
     * The envelope for an injected fault with {@code status} (not 400: those are plain text): the type of
     * that status where one is published, else the status itself as the code.
     */
    static Response forStatus(int status, String message) {
        for (TaxonomyError e : values()) {
            if (e.status == status && e != AUTHORIZATION_MISSING) {
                return e.answer(message, null);
            }
        }
        return envelope(status, status >= 500 ? UNSPECIFIED_INTERNAL_ERROR.code : status, message, null);
    }

    private static Response envelope(int status, int code, String message, String cause) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("request_id", UUID.randomUUID().toString());
        ObjectNode error = body.putObject("error");
        error.put("status", reasonPhrase(status));
        error.put("code", code);
        error.put("message", message);
        if (cause != null) {
            error.put("cause", cause);
        }
        error.put("docs", DOCS);
        return Response.json(status, body);
    }

    static String reasonPhrase(int status) {
        switch (status) {
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 410: return "Gone";
            case 413: return "Payload Too Large";
            case 422: return "Unprocessable Entity";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return status >= 500 ? "Server Error" : "Client Error";
        }
    }
}
