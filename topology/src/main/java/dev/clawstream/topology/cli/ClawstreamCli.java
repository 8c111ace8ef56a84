package dev.clawstream.topology.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code clawstream} command line: one picocli tree, one subcommand per class. */
@Command(name = "clawstream",
        mixinStandardHelpOptions = true,
        versionProvider = ClawstreamCli.Version.class,
        description = "Enforcement and audit pipeline for AI-agent network egress, on Kafka Streams.",
        subcommands = {
                UpCommand.class,
                DemoCommand.class,
                RunCommand.class,
                TopicsCommand.class,
                PublishCommand.class,
                TailCommand.class,
                KeysCommand.class,
                WpcCommand.class,
                EgressCommand.class,
                PolicyCommand.class,
                CstCommand.class,
                ReceiptCommand.class,
                DecideCommand.class,
                LoadCommand.class,
                AlertsCommand.class,
                VerifyCommand.class,
                ProveCommand.class,
                VerifyProofCommand.class,
                BundlesCommand.class,
                CommandLine.HelpCommand.class
        })
public final class ClawstreamCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command tree; tests parse and run commands through the same object. */
    public static CommandLine commandLine() {
        return new CommandLine(new ClawstreamCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof InvalidInputException invalid) {
                        cmd.getErr().println(invalid.getMessage());
                        return InvalidInputException.EXIT_CODE;
                    }
                    // Broken infrastructure (unreachable broker, refused schema) is reported in one line;
                    // CLAWSTREAM_DEBUG=1 shows the stack trace.
                    cmd.getErr().println("error: " + e.getMessage());
                    if (System.getenv("CLAWSTREAM_DEBUG") != null) {
                        e.printStackTrace(cmd.getErr());
                    }
                    return 1;
                });
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ClawstreamCli.class.getPackage().getImplementationVersion();
            return new String[] {"clawstream " + (v == null ? "(development build)" : v)};
        }
    }
}
