package dev.clawstream.topology.web;

import dev.clawstream.topology.view.ViewerQueries;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web server's guard, on a real Jetty: reads are open; anything else is refused without a configured
 * token (403), needs exactly that bearer token when one is configured (401 otherwise), and every answer
 * carries the anti-framing and no-sniff headers. No store is touched by these requests.
 */
class WebApiGuardTest {

    private static final String TOKEN = "a-long-enough-web-token-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void withoutATokenTheServerIsReadOnly() throws Exception {
        try (AlertBroadcaster alerts = new AlertBroadcaster();
             WebServer server = start(Optional.empty(), alerts)) {
            HttpResponse<String> health = send(server, "GET", "api/health", null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.headers().firstValue("X-Frame-Options")).contains("DENY");
            assertThat(health.headers().firstValue("X-Content-Type-Options")).contains("nosniff");

            HttpResponse<String> delete = send(server, "DELETE", "api/jobs/job-1", "Bearer " + TOKEN);
            assertThat(delete.statusCode()).isEqualTo(403);
            assertThat(delete.body()).contains("read-only");
            assertThat(send(server, "POST", "api/alerts", null).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void withATokenOnlyThatBearerTokenGetsPastTheGuard() throws Exception {
        try (AlertBroadcaster alerts = new AlertBroadcaster();
             WebServer server = start(Optional.of(TOKEN), alerts)) {
            HttpResponse<String> none = send(server, "DELETE", "api/jobs/job-1", null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(send(server, "DELETE", "api/jobs/job-1", "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
            assertThat(send(server, "DELETE", "api/jobs/job-1", TOKEN).statusCode()).isEqualTo(401);
            // Past the guard: there is no such write, so the router says so.
            assertThat(send(server, "DELETE", "api/jobs/job-1", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
            assertThat(send(server, "GET", "api/health", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aShortTokenIsRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        new WebSettings("localhost", 0, Optional.of("short"), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 characters");
    }

    private static WebServer start(Optional<String> token, AlertBroadcaster alerts) {
        WebSettings settings = new WebSettings("localhost", 0, token, Optional.empty());
        // No viewer behind it: the guard answers before any store would be asked.
        return WebServer.start(settings, new WebApi(new ViewerQueries(null), alerts, settings, Clock.systemUTC()));
    }

    private HttpResponse<String> send(WebServer server, String method, String path, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
