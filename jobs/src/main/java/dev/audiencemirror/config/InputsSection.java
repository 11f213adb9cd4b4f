package dev.audiencemirror.config;

/** {@code inputs:}, file locations; none is required here, each job asks for the ones it reads. */
final class InputsSection {
    static final String KEY = "inputs";

    private InputsSection() {}

    static InputSettings read(Fields root) {
        Fields f = root.mapping(KEY);
        return new InputSettings(f.location("identities"), f.location("memberships"), f.location("segments"),
                f.location("events"), f.location("assertions"), f.location("as-of"));
    }
}
