package org.wikimedia.spiderpig.security;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.store.SecondFactorStore;
import org.wikimedia.spiderpig.store.SecondFactorStore.StoredSecondFactor;
import reactor.core.publisher.Mono;

/**
 * Local accounts' TOTP second factor: enrolment (a secret shown once, as an otpauth:// URI and its QR code,
 * confirmed by one code) and verification, where a code is accepted once at most, even across restarts.
 */
public class SecondFactors {

    /** A begun enrolment: what the authenticator app needs. Never shown again once confirmed. */
    public record Enrolment(String secret, String uri, String qrCodeSvg) {
    }

    /** What a correct code did. */
    public enum Proof {
        /** Confirmed a begun enrolment: the account has a second factor from now on. */
        ENROLLED,
        /** Verified the account's second factor. */
        VERIFIED,
        /** Wrong, outside the tolerance, or used already. */
        REFUSED
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern CODE = Pattern.compile("\\d{" + Totp.DIGITS + "}");
    /** RFC 4226 recommends 160 bits, the size of an HMAC-SHA1 key. */
    private static final int SECRET_BYTES = 20;

    private final SecondFactorStore store;
    private final SecretCipher cipher;
    private final boolean required;
    private final String issuer;
    private final Clock clock;

    public SecondFactors(SecondFactorStore store, SecretCipher cipher, boolean required, String issuer, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.required = required;
        this.issuer = issuer;
        this.clock = clock;
    }

    public Mono<Boolean> enrolled(String user) {
        return store.find(user).map(StoredSecondFactor::confirmed).defaultIfEmpty(false);
    }

    /** Whether the password alone does not sign this user in: the setting requires it, or they enrolled. */
    public Mono<Boolean> needed(String user) {
        return required ? Mono.just(true) : enrolled(user);
    }

    /** A new secret for the user, replacing an unconfirmed one; 409 when they already have a second factor. */
    public Mono<Enrolment> begin(String user) {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return store.begin(user, cipher.encrypt(secret), clock.instant()).flatMap(begun -> {
            if (!begun) {
                return Mono.error(new Problem(409, "second-factor-enrolled", "Second factor enrolled already",
                        "This account has a second factor already; an admin can reset it (DELETE /api/admin/second-factors/"
                                + user + ")."));
            }
            String uri = uri(user, Base32.encode(secret));
            return Mono.just(new Enrolment(Base32.encode(secret), uri, QrCodeSvg.of(uri)));
        });
    }

    /** Checks a code: confirms the user's begun enrolment, or verifies their second factor. */
    public Mono<Proof> prove(String user, String code) {
        String digits = code == null ? "" : code.replace(" ", "");
        if (!CODE.matcher(digits).matches()) {
            return Mono.error(Problem.malformed("A code is " + Totp.DIGITS + " digits, as the authenticator app shows it."));
        }
        return store.find(user)
                .switchIfEmpty(Mono.error(() -> new Problem(409, "no-second-factor", "No second factor",
                        "Begin the enrolment first (POST /api/session/second-factor/enrolment).")))
                .flatMap(stored -> {
                    OptionalLong step = Totp.matchingStep(cipher.decrypt(stored.secret()), digits, clock.instant());
                    if (step.isEmpty()) {
                        return Mono.just(Proof.REFUSED);
                    }
                    if (!stored.confirmed()) {
                        return store.confirm(user, stored.secret(), step.getAsLong(), clock.instant())
                                .map(confirmed -> confirmed ? Proof.ENROLLED : Proof.REFUSED);
                    }
                    return store.accept(user, step.getAsLong()).map(accepted -> accepted ? Proof.VERIFIED : Proof.REFUSED);
                });
    }

    /** Forgets the user's second factor, so that they enrol again at their next sign-in; false when there was none. */
    public Mono<Boolean> reset(String user) {
        return store.remove(user);
    }

    private String uri(String user, String secret) {
        String label = encode(issuer) + ":" + encode(user);
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
