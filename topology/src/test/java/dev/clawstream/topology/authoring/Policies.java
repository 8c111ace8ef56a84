package dev.clawstream.topology.authoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawstream.enforcer.destination.DestinationParser;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.schemas.Verdict;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Test support: a document through the real parser and policy engine, as the enforcer would use it. */
final class Policies {

    private Policies() {
    }

    static WpcParseResult.Valid parse(JsonNode document) {
        WpcParseResult result = WpcParser.parse(document.toString(), "test");
        assertThat(result).as(result.toString()).isInstanceOf(WpcParseResult.Valid.class);
        return (WpcParseResult.Valid) result;
    }

    /** The verdict on a connection to {@code host}:{@code port}, as a sidecar reporting CONNECT would give it. */
    static Verdict decide(JsonNode document, String host, int port) {
        WpcParseResult.Valid valid = parse(document);
        return CompiledPolicy.compile(valid.wpc(), valid.document().hash())
                .decideEgress(DestinationParser.parseHostPort(host, port, null), Optional.empty(), Optional.empty())
                .verdict();
    }
}
