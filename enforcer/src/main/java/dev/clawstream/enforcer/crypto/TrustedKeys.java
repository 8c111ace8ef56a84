package dev.clawstream.enforcer.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** The public keys whose signatures count, by key id (publishers, issuers or gateways). */
public final class TrustedKeys {

    private final Map<KeyId, Verifier> byId;

    private TrustedKeys(Map<KeyId, Verifier> byId) {
        this.byId = Map.copyOf(byId);
    }

    public static TrustedKeys of(Collection<Verifier> verifiers) {
        Map<KeyId, Verifier> map = new LinkedHashMap<>();
        verifiers.forEach(v -> map.put(v.keyId(), v));
        return new TrustedKeys(map);
    }

    public static TrustedKeys none() {
        return new TrustedKeys(Map.of());
    }

    /** Every {@code *.pub.pem} file of {@code dir} (or {@code dir} itself when it is a file). */
    public static TrustedKeys load(Path dirOrFile) throws IOException {
        if (Files.isRegularFile(dirOrFile)) {
            return load(List.of(dirOrFile));
        }
        try (Stream<Path> files = Files.list(dirOrFile)) {
            return load(files.filter(p -> p.getFileName().toString().endsWith(".pub.pem")).sorted().toList());
        }
    }

    /** Exactly these public key files, whatever their names. */
    public static TrustedKeys load(Collection<Path> files) throws IOException {
        List<Verifier> verifiers = new ArrayList<>();
        for (Path file : files) {
            verifiers.add(Keys.readPublicKey(file));
        }
        return of(verifiers);
    }

    public Optional<Verifier> find(KeyId keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    /** Verifies with the named key; an untrusted key id fails as {@code UNKNOWN_KEY}. */
    public void verify(KeyId keyId, byte[] message, byte[] signature) throws SignatureInvalidException {
        Verifier verifier = byId.get(keyId);
        if (verifier == null) {
            throw new SignatureInvalidException(SignatureInvalidException.Failure.UNKNOWN_KEY, keyId,
                    "key " + keyId + " is not among the " + byId.size() + " trusted key(s)");
        }
        verifier.verify(message, signature);
    }

    public Set<KeyId> keyIds() {
        return byId.keySet();
    }

    @Override
    public String toString() {
        return "TrustedKeys" + byId.keySet();
    }
}
