package dev.audiencemirror.cli;

import dev.audiencemirror.command.Command;
import dev.audiencemirror.sandbox.SandboxMain;
import java.io.PrintStream;

/** {@code mirror sandbox ...}: the destination sandbox, standalone. */
final class SandboxCommand implements Command {

    @Override
    public String summary() {
        return "run the destination sandbox (fake Adestra + Taxonomy API) on a local port";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        return SandboxMain.run(args, out);
    }
}
