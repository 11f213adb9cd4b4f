package dev.audiencemirror.command;

import dev.audiencemirror.config.ConfigException;
import dev.audiencemirror.config.ConfigLoader;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.config.SecretUse;
import dev.audiencemirror.files.LocalFileSystems;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The one option parser of the subcommands: each declares its options and its help text, and gets
 * the same rules: {@code --config FILE} (or {@code -c}) once and required, {@code --help}
 * ({@code -h}) prints the help, an unknown option or a missing value is a {@link UsageException}
 * naming it.
 */
public final class CommandLine {
    private final List<String> help;
    private final Map<String, Boolean> takesValue = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();
    private Set<SecretUse> secrets = EnumSet.allOf(SecretUse.class);
    private Function<MirrorConfig, List<String>> checks = config -> List.of();

    /** @param help the text {@code --help} prints, line by line (the first is the usage line) */
    public CommandLine(String... help) {
        this.help = List.of(help);
        value("--config", "-c");
    }

    /** The secrets the command uses, which loading its config checks readable; all of them unless said. */
    public CommandLine secrets(SecretUse first, SecretUse... more) {
        secrets = EnumSet.of(first, more);
        return this;
    }

    /** More problems of the config as read, listed with its own ({@link ConfigLoader#alsoChecking}). */
    public CommandLine alsoChecking(Function<MirrorConfig, List<String>> more) {
        checks = more;
        return this;
    }

    /** An option without a value; {@code alias} may be null. */
    public CommandLine flag(String name, String alias) {
        return declare(name, alias, false);
    }

    /** An option followed by a value. */
    public CommandLine value(String name, String alias) {
        return declare(name, alias, true);
    }

    private CommandLine declare(String name, String alias, boolean value) {
        takesValue.put(name, value);
        if (alias != null) {
            aliases.put(alias, name);
        }
        return this;
    }

    /** What a command does once its options are parsed and its config loaded; returns the exit code. */
    public interface Body {
        int run(Parsed options, MirrorConfig config) throws Exception;
    }

    /**
     * Parses {@code args} and loads the config, then runs {@code body}: {@code --help} prints the
     * help and returns {@link Command#OK}; a bad config prints every problem to {@code err} and
     * returns {@link Command#USAGE}.
     */
    public int run(String[] args, PrintStream out, PrintStream err, Body body) throws Exception {
        Optional<Parsed> parsed = parse(args, out);
        if (parsed.isEmpty()) {
            return Command.OK;
        }
        MirrorConfig config = parsed.get().loadConfig(err);
        if (config == null) {
            return Command.USAGE;
        }
        return body.run(parsed.get(), config);
    }

    /** The parsed arguments, or empty when {@code --help} was asked for (and printed to {@code out}). */
    public Optional<Parsed> parse(String[] args, PrintStream out) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                help.forEach(out::println);
                return Optional.empty();
            }
            String name = aliases.getOrDefault(args[i], args[i]);
            Boolean value = takesValue.get(name);
            if (value == null) {
                throw new UsageException("unknown option '" + args[i] + "' (try --help)");
            }
            String v = "";
            if (value) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException(args[i] + " needs a value");
                }
                v = args[++i];
            }
            String before = given.put(name, v);
            if (before != null && value) {
                throw new UsageException(args[i - 1] + " given twice (" + before + " and " + v + "); give one");
            }
        }
        return Optional.of(new Parsed(given, ConfigLoader.fromEnvironment().reading(secrets).alsoChecking(config -> {
            // Before anything reads an input: the file systems as the config's flink: settings give them.
            List<String> problems = new ArrayList<>(LocalFileSystems.configure(config.flink()));
            problems.addAll(checks.apply(config));
            return problems;
        })));
    }

    /** What was given. */
    public static final class Parsed {
        private final Map<String, String> given;
        private final ConfigLoader loader;

        Parsed(Map<String, String> given, ConfigLoader loader) {
            this.given = given;
            this.loader = loader;
        }

        public boolean has(String flag) {
            return given.containsKey(flag);
        }

        public Optional<String> value(String option) {
            return Optional.ofNullable(given.get(option));
        }

        /** The {@code --config} path; a usage error when it was not given. */
        public Path configPath() {
            return value("--config").map(Path::of).orElseThrow(() -> new UsageException("--config FILE is required"));
        }

        /**
         * Loads and checks the config; on a bad one prints every problem to {@code err} and returns
         * null, for the caller to exit with {@link Command#USAGE}.
         */
        public MirrorConfig loadConfig(PrintStream err) {
            try {
                return loader.load(configPath());
            } catch (ConfigException e) {
                err.println(e.getMessage());
                return null;
            }
        }
    }
}
