package dev.clawstream.topology.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class WpcCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void checkPrintsEveryErrorWithItsLocationAndExits2() throws Exception {
        Path bad = write("bad.json", "{\"name\": \"x\", \"default\": \"allow\",\n \"deny\": {\"ip_cidrs\": [\"10.0.0.0/33\"]}}");

        int exit = run("wpc", "check", bad.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(bad + ":1:26 $.default: default must be \"deny\", got \"allow\"")
                .contains(bad + ":2:24 $.deny.ip_cidrs[0]: prefix length 33 > 32")
                .contains("2 error(s) in " + bad);
    }

    @Test
    void hashIsTheSameForEquivalentSpellings() throws Exception {
        Path a = write("a.json", "{\"name\":\"x\",\"default\":\"deny\",\"allow\":{\"domains\":[\"pypi.org\"]}}");
        Path b = write("b.json", "{\n  \"allow\": {\"domains\": [\"pypi.org\"]},\n  \"default\": \"deny\",\n  \"name\": \"x\"\n}");

        assertThat(run("wpc", "hash", a.toString())).isZero();
        String first = out.toString().trim();
        out.getBuffer().setLength(0);
        assertThat(run("wpc", "hash", b.toString())).isZero();

        assertThat(first).matches("sha256:[0-9a-f]{64}").isEqualTo(out.toString().trim());
    }

    @Test
    void diffNamesWhatTheNewVersionWidens() throws Exception {
        Path old = write("old.json", "{\"name\":\"x\",\"default\":\"deny\",\"allow\":{\"domains\":[\"pypi.org\"]}}");
        Path now = write("new.json", "{\"name\":\"x\",\"default\":\"deny\",\"allow\":{\"domains\":[\"pypi.org\",\"attacker.com\"]}}");

        assertThat(run("wpc", "diff", old.toString(), now.toString())).isZero();

        assertThat(out.toString()).contains("+ widens:  allow.domains + attacker.com (default port)");
    }

    @Test
    void aSignedWpcVerifiesAndAnyChangeOrOtherKeyIsRejected() throws Exception {
        Path policy = write("p.json", "{\"name\":\"x\",\"default\":\"deny\",\"allow\":{\"domains\":[\"pypi.org\"]}}");
        assertThat(run("keys", "generate", "--out", dir.resolve("keys").toString(), "--name", "publisher")).isZero();
        assertThat(run("keys", "generate", "--out", dir.resolve("others").toString(), "--name", "stranger")).isZero();
        assertThat(run("wpc", "sign", policy.toString(), "--key", dir.resolve("keys/publisher.key.pem").toString()))
                .isZero();

        assertThat(run("wpc", "verify", policy.toString(), "--trusted", dir.resolve("keys").toString())).isZero();
        assertThat(run("wpc", "verify", policy.toString(), "--trusted", dir.resolve("others").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is not among the 1 trusted key(s)");

        Files.writeString(policy, Files.readString(policy).replace("pypi.org", "attacker.com"));
        assertThat(run("wpc", "verify", policy.toString(), "--trusted", dir.resolve("keys").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("INVALID: signature is for WPC sha256:");
    }

    private int run(String... args) {
        CommandLine cli = ClawstreamCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
