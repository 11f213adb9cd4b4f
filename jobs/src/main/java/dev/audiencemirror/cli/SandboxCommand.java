package dev.audiencemirror.cli;

import java.io.PrintStream;

/** {@code mirror sandbox ...}: the destination sandbox, standalone. */
final class SandboxCommand implements MirrorCli.Command {

    @Override
    public String summary() {
        return "run the destination sandbox (fake Adestra + Taxonomy API) on a local port";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        err.println("mirror sandbox: not available yet");
        return MirrorCli.FAILED;
    }
}
