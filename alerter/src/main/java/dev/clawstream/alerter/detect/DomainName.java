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
 * @param registryDomain the domain bought from a registrar, under an ICANN suffix only: {@code github.io}
 *                     for {@code evil.github.io}, whose {@code registrable} is {@code evil.github.io} because
 *                     the Public Suffix List's private section makes {@code github.io} a suffix. Brands
 *                     are registered, and squatted, at this level.
 * @param registrySuffix the ICANN suffix part of {@code registryDomain}
 */
public record DomainName(String host, String registrable, String publicSuffix, String registryDomain,
                         String registrySuffix) {

    public DomainName {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(registrable, "registrable");
        Objects.requireNonNull(publicSuffix, "publicSuffix");
        Objects.requireNonNull(registryDomain, "registryDomain");
        Objects.requireNonNull(registrySuffix, "registrySuffix");
        if (!isTail(registrable, host) || !isTail(registryDomain, registrable)) {
            throw new IllegalArgumentException(registrable + " / " + registryDomain + " are not tails of " + host);
        }
    }

    private static boolean isTail(String tail, String name) {
        return name.equals(tail) || name.endsWith("." + tail);
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
            String registrable = name.topPrivateDomain().toString();
            String suffix = name.publicSuffix().toString();
            if (name.isUnderRegistrySuffix()) {
                return Optional.of(new DomainName(asciiHost, registrable, suffix,
                        name.topDomainUnderRegistrySuffix().toString(), name.registrySuffix().toString()));
            }
            return Optional.of(new DomainName(asciiHost, registrable, suffix, registrable, suffix));
        }
        if (name.isUnderRegistrySuffix()) {
            // A private suffix's own apex (githubusercontent.com): its owner's name at the registry level.
            String registry = name.topDomainUnderRegistrySuffix().toString();
            String suffix = name.registrySuffix().toString();
            return Optional.of(new DomainName(asciiHost, registry, suffix, registry, suffix));
        }
        if (name.isPublicSuffix() || name.parts().size() < 2) {
            return Optional.empty();
        }
        List<String> parts = name.parts();
        String last = parts.get(parts.size() - 1);
        String registrable = parts.get(parts.size() - 2) + "." + last;
        return Optional.of(new DomainName(asciiHost, registrable, last, registrable, last));
    }

    /** The registry domain without its suffix: {@code githubusercontent} for {@code objects.githubusercontent.com}. */
    public String registryName() {
        return registryDomain.substring(0, registryDomain.length() - registrySuffix.length() - 1);
    }

    /** The part left of the registry domain, or "" for its apex. */
    public String registrySubdomain() {
        return host.length() == registryDomain.length() ? ""
                : host.substring(0, host.length() - registryDomain.length() - 1);
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
