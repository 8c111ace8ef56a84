package dev.clawstream.schemas.json;

import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.Verdict;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever an event holds (any text, any port, any nullable left out), JSON gives it back unchanged. */
class AvroJsonPropertyTest {

    @Property(tries = 500)
    void anyEgressEventSurvivesJsonAndBack(@ForAll("events") EgressEvent event) throws Exception {
        assertThat(AvroJson.fromJson(AvroJson.toJsonLine(event), EgressEvent.class)).isEqualTo(event);
    }

    @Provide
    Arbitrary<EgressEvent> events() {
        // Every BMP character but lone surrogates, which are not Unicode text and cannot be JSON.
        Arbitrary<String> text = Arbitraries.strings().withCharRange('\u0000', '\uD7FF')
                .withCharRange('\uE000', '\uFFFF').ofMaxLength(40);
        Arbitrary<String> optional = text.injectNull(0.3);
        return Combinators.combine(
                text, Arbitraries.longs().between(0, 4_102_444_800_000L), optional,
                Arbitraries.integers().injectNull(0.3), Arbitraries.longs(),
                Arbitraries.of(Verdict.class).injectNull(0.3),
                Arbitraries.maps(text, text).ofMaxSize(3)
        ).as((id, millis, url, port, bytes, verdict, attributes) -> EgressEvent.newBuilder()
                .setEventId(id).setTime(Instant.ofEpochMilli(millis)).setAgentId("agent").setJobId("job")
                .setSidecarId(id).setUrl(url).setPort(port).setBytesOut(bytes).setSidecarVerdict(verdict)
                .setAttributes(attributes).build());
    }
}
