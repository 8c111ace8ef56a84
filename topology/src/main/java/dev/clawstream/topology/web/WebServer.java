package dev.clawstream.topology.web;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trust Pulse and the live view over HTTP: the static pages (from the jar, their JavaScript libraries
 * vendored at build time, no CDN) and the JSON API they call ({@link WebApi}).
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private final Javalin http;
    private final String host;

    private WebServer(Javalin http, String host) {
        this.http = http;
        this.host = host;
    }

    public static WebServer start(WebSettings settings, WebApi api) {
        Javalin http = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.bindHost();
            config.jetty.port = settings.port();
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
                // The pages must not be framed by another site, nor sniffed into another type.
                files.headers = java.util.Map.of("X-Content-Type-Options", "nosniff", "X-Frame-Options", "DENY",
                        "Cache-Control", "no-cache");
                // ES modules are refused by browsers unless served as JavaScript.
                files.mimeTypes.add("text/javascript", "mjs");
            });
            api.declare(config.routes);
        });
        http.start();
        WebServer server = new WebServer(http, settings.bindHost());
        LOG.info("Trust Pulse serving {}", server.url());
        return server;
    }

    public String url() {
        String urlHost = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + urlHost + ":" + http.port() + "/";
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.stop();
    }
}
