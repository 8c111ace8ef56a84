package dev.clawstream.topology.cli;

import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code clawstream keys generate}: Ed25519 key pairs for publishers, issuers, gateways and the bundler. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage Ed25519 signing keys.",
        subcommands = KeysCommand.Generate.class)
final class KeysCommand {

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Generate an Ed25519 key pair: DIR/NAME.key.pem (PKCS#8, owner-only) and DIR/NAME.pub.pem.",
                    "Prints the key id (sha256 of the raw public key). Existing files are never overwritten."})
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the key files.")
        Path out;

        @Option(names = "--name", defaultValue = "clawstream", description = "File name stem (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() throws Exception {
            Signer signer = Keys.generate();
            Keys.write(signer, out, name);
            spec.commandLine().getOut().println("key id " + signer.keyId() + "\n  private: "
                    + out.resolve(name + ".key.pem") + " (keep secret)\n  public:  " + out.resolve(name + ".pub.pem"));
            return 0;
        }
    }
}
