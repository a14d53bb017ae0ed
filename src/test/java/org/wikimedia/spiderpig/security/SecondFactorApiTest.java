package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.security.SignInFixture.Caller;
import org.wikimedia.spiderpig.store.SecondFactorStore;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import org.wikimedia.spiderpig.web.JobApiTestAccess;
import tools.jackson.databind.JsonNode;

/** The second factor through the real security chain: enrolment, sign-in with a code, replays, lockout, reset. */
@ServerTest
@Import(SteppingClock.Installed.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecondFactorApiTest extends ServerTestSupport {

    @Autowired
    SecondFactorStore secondFactorsStore;

    static final Path DATA = TestScripts.tempDirectory("spiderpig-totp-api");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SignInFixture.register(registry, DATA, "enrols", "replays", "guesses", "loses-phone");
    }

    private JsonNode session(Caller caller) {
        return Api.parse(caller.request(client, HttpMethod.GET, "/api/session").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private String audit(String user) {
        Caller admin = SignInFixture.signIn(client, "admin", SignInFixture.PASSWORD);
        return admin.request(client, HttpMethod.GET, "/api/audit?user=" + user).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void aPasswordAloneOnlyOpensTheEnrolmentWhichOneCodeConfirms() {
        var password = SignInFixture.signInResult(client, "enrols", SignInFixture.PASSWORD);
        assertThat(Api.parse(password.getResponseBody()).get("secondFactor").asString()).isEqualTo("enrol");
        assertThat(password.getResponseCookies().getFirst("spiderpig_session").getMaxAge().toMinutes()).isEqualTo(10);
        Caller pending = SignInFixture.passwordOnly(client, "enrols", SignInFixture.PASSWORD);
        assertThat(session(pending).get("roles").size()).isZero();
        JobApiTestAccess.problem(pending.request(client, HttpMethod.GET, "/api/jobs").exchange(), 401, "second-factor-needed");
        JobApiTestAccess.problem(pending.request(client, HttpMethod.POST, "/api/jobs")
                .header("Content-Type", "application/json").bodyValue("{\"command\":\"backport\"}").exchange(),
                401, "second-factor-needed");

        JsonNode enrolment = Api.parse(pending.request(client, HttpMethod.POST, "/api/session/second-factor/enrolment")
                .exchange().expectStatus().isOk().expectHeader().valueEquals("Cache-Control", "no-store")
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(enrolment.get("uri").asString())
                .isEqualTo("otpauth://totp/SpiderPig:enrols?secret=" + enrolment.get("secret").asString()
                        + "&issuer=SpiderPig&algorithm=SHA1&digits=6&period=30");
        assertThat(enrolment.get("qrCodeSvg").asString()).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");

        byte[] secret = Base32.decode(enrolment.get("secret").asString());
        var confirmed = pending.request(client, HttpMethod.POST, "/api/session/second-factor")
                .header("Content-Type", "application/json").bodyValue(Map.of("code", SignInFixture.nextCode(secret)))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult();
        String signedIn = confirmed.getResponseCookies().getFirst("spiderpig_session").getValue();
        assertThat(signedIn).as("a new session, not the pending one").isNotEqualTo(pending.session());
        Caller full = new Caller(signedIn, pending.csrf(), null);
        assertThat(session(full).get("secondFactor").asString()).isEqualTo("enrolled");
        assertThat(session(full).get("roles").toString()).isEqualTo("[\"VIEWER\",\"DEPLOYER\"]");
        full.request(client, HttpMethod.GET, "/api/jobs").exchange().expectStatus().isOk();
        JobApiTestAccess.problem(pending.request(client, HttpMethod.GET, "/api/jobs").exchange(), 401, "unauthorized");

        JobApiTestAccess.problem(full.request(client, HttpMethod.POST, "/api/session/second-factor/enrolment").exchange(),
                409, "second-factor-enrolled");
        assertThat(Api.parse(SignInFixture.signInResult(client, "enrols", SignInFixture.PASSWORD).getResponseBody())
                .get("secondFactor").asString()).as("from now on the password asks for the code").isEqualTo("verify");
        assertThat(audit("enrols")).contains("\"action\":\"second-factor-enrolled\"").contains("\"action\":\"signed-in\"");
    }

    @Test
    void aScriptGivesPasswordAndCodeInOneRequestAndACodeIsNeverAcceptedTwice() {
        SignInFixture.signIn(client, "replays", SignInFixture.PASSWORD);
        String code = SignInFixture.nextCode(SignInFixture.secret(client, "replays"));
        var first = SignInFixture.signInResult(client, "replays", SignInFixture.PASSWORD, code);
        assertThat(first.getStatus().value()).isEqualTo(200);
        assertThat(Api.parse(first.getResponseBody()).get("roles").toString()).isEqualTo("[\"VIEWER\",\"DEPLOYER\"]");

        var replayed = SignInFixture.signInResult(client, "replays", SignInFixture.PASSWORD, code);
        assertThat(replayed.getStatus().value()).isEqualTo(401);
        assertThat(Api.parse(replayed.getResponseBody()).get("type").asString()).endsWith("/second-factor-failed");
        assertThat(replayed.getResponseCookies().getFirst("spiderpig_session")).isNull();
        assertThat(audit("replays")).contains("\"detail\":\"wrong second factor\"");
    }

    /** Last: the lockout also locks this test's client address (127.0.0.0/24), as it should. */
    @Test
    @Order(Integer.MAX_VALUE)
    void wrongCodesCountTowardTheLockoutLikeWrongPasswords() {
        SignInFixture.signIn(client, "guesses", SignInFixture.PASSWORD);
        Caller pending = SignInFixture.passwordOnly(client, "guesses", SignInFixture.PASSWORD);
        byte[] secret = SignInFixture.secret(client, "guesses");
        String wrong = Totp.code(secret, Totp.step(SteppingClock.INSTANCE.instant()) + 5, Totp.DIGITS);
        int refused = 0;
        int status;
        do {
            // Other tests' failures from this address count too: at most MAX_FAILURES 401s, then 429.
            var answer = pending.request(client, HttpMethod.POST, "/api/session/second-factor")
                    .header("Content-Type", "application/json").bodyValue(Map.of("code", wrong))
                    .exchange().expectBody(String.class).returnResult();
            status = answer.getStatus().value();
            if (status == 401) {
                assertThat(answer.getResponseBody()).contains("second-factor-failed");
                refused++;
            }
        } while (status == 401 && refused <= SignInThrottle.MAX_FAILURES);
        assertThat(refused).isBetween(1, SignInThrottle.MAX_FAILURES);
        assertThat(status).isEqualTo(429);

        var rightCode = pending.request(client, HttpMethod.POST, "/api/session/second-factor")
                .header("Content-Type", "application/json").bodyValue(Map.of("code", SignInFixture.nextCode(secret)))
                .exchange().expectStatus().isEqualTo(429).expectHeader().valueMatches("Retry-After", "\\d+")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(rightCode).as("even the right code, while locked").contains("too-many-sign-in-failures");
        assertThat(secondFactorsStore.find("guesses").block().lastStep())
                .as("the locked-out right code was not used up either").isLessThan(Totp.step(SteppingClock.INSTANCE.instant()));
    }

    @Test
    void anAdminResetsALostSecondFactorAndTheUserEnrolsAgain() {
        SignInFixture.signIn(client, "loses-phone", SignInFixture.PASSWORD);
        Caller admin = SignInFixture.signIn(client, "admin", SignInFixture.PASSWORD);
        admin.request(client, HttpMethod.DELETE, "/api/admin/second-factors/loses-phone").exchange()
                .expectStatus().isNoContent();
        JobApiTestAccess.problem(admin.request(client, HttpMethod.DELETE, "/api/admin/second-factors/loses-phone")
                .exchange(), 404, "not-found");
        assertThat(Api.parse(SignInFixture.signInResult(client, "loses-phone", SignInFixture.PASSWORD).getResponseBody())
                .get("secondFactor").asString()).isEqualTo("enrol");
        assertThat(admin.request(client, HttpMethod.GET, "/api/audit?action=second-factor-reset").exchange()
                .expectBody(String.class).returnResult().getResponseBody()).contains("\"detail\":\"of loses-phone\"");
    }
}
