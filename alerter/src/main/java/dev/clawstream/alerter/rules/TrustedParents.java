package dev.clawstream.alerter.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Registry domains under which a data-shaped name is an id the provider minted, not a tunnel: carrying
 * data in names needs the attacker to answer for them (run the zone's DNS), and nobody but the provider
 * answers under these. CDNs and object stores put account or distribution ids in names
 * ({@code <32 hex>.r2.cloudflarestorage.com}, {@code d111111abcdef8.cloudfront.net}).
 */
public final class TrustedParents {

    public static final List<String> DEFAULT = build();

    private TrustedParents() {
    }

    private static List<String> build() {
        List<String> out = new ArrayList<>(WellKnownDomains.DOMAINS);
        out.addAll(List.of("cloudfront.net", "cloudflarestorage.com", "akamaiedge.net", "akamaized.net", "fastly.net",
                "fastlylb.net", "azureedge.net", "azurefd.net", "trafficmanager.net", "firebaseio.com",
                "digitaloceanspaces.com", "backblazeb2.com", "wasabisys.com"));
        return List.copyOf(out);
    }
}
