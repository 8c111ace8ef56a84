package dev.clawstream.alerter.detect;

import com.google.common.net.InternetDomainName;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A host name split the way an attacker's registration is: the public suffix (from the Public Suffix
 * List, as Guava ships it), the registrable domain someone paid for ({@code openai.com}), and the
 * subdomain labels its owner can mint for free ({@code api}, or a tunnel's encoded payload).
 *
 * @param host         the canonical host, lower-case A-labels
 * @param registrable  the registrable domain ({@code eTLD+1}); for a name under no known suffix
 *                     ({@code build.corp.internal}) the last two labels, as a resolver's operator sees it
 * @param publicSuffix the suffix part of {@code registrable}
 */
public record DomainName(String host, String registrable, String publicSuffix) {

    public DomainName {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(registrable, "registrable");
        Objects.requireNonNull(publicSuffix, "publicSuffix");
        if (!host.equals(registrable) && !host.endsWith("." + registrable)) {
            throw new IllegalArgumentException(registrable + " is not the tail of " + host);
        }
    }

    /** The split of a canonical host name, or empty for a name that is itself a public suffix or is not a name. */
    public static Optional<DomainName> of(String asciiHost) {
        if (asciiHost == null || asciiHost.isEmpty()) {
            return Optional.empty();
        }
        InternetDomainName name;
        try {
            name = InternetDomainName.from(asciiHost);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (name.isUnderPublicSuffix()) {
            return Optional.of(new DomainName(asciiHost, name.topPrivateDomain().toString(),
                    name.publicSuffix().toString()));
        }
        if (name.isPublicSuffix() || name.parts().size() < 2) {
            return Optional.empty();
        }
        List<String> parts = name.parts();
        String last = parts.get(parts.size() - 1);
        return Optional.of(new DomainName(asciiHost, parts.get(parts.size() - 2) + "." + last, last));
    }

    /** The registrable domain without its suffix: {@code openai} for {@code api.openai.com}. */
    public String name() {
        return registrable.substring(0, registrable.length() - publicSuffix.length() - 1);
    }

    /** The labels left of the registrable domain, outermost first; empty for the apex. */
    public List<String> subdomainLabels() {
        if (host.length() == registrable.length()) {
            return List.of();
        }
        return List.of(host.substring(0, host.length() - registrable.length() - 1).split("\\."));
    }

    /** The part left of the registrable domain, or "" for the apex. */
    public String subdomain() {
        return host.length() == registrable.length() ? "" : host.substring(0, host.length() - registrable.length() - 1);
    }
}
