package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** A browser's wrong address gets the UI's index.html (which shows its not-found page); the API keeps its JSON. */
class NotFoundPageTest {

    static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    final NotFoundPage page = new NotFoundPage(new ByteArrayResource("<html>ui</html>".getBytes(StandardCharsets.UTF_8)));

    @Test
    void aBrowsersPageLoadOfAnUnknownAddressGetsTheUi() {
        assertThat(page.forRequest(MockServerHttpRequest.get("/no/such/page").header("Accept", BROWSER).build()))
                .asString(StandardCharsets.UTF_8).isEqualTo("<html>ui</html>");
        assertThat(page.forRequest(MockServerHttpRequest.head("/jobs/12/nothing").header("Accept", BROWSER).build())).isNotNull();
    }

    @Test
    void theApiScriptsAndOtherMethodsKeepTheProblem() {
        assertThat(page.forRequest(MockServerHttpRequest.get("/api/nothing").header("Accept", BROWSER).build())).isNull();
        assertThat(page.forRequest(MockServerHttpRequest.get("/api").header("Accept", BROWSER).build())).isNull();
        assertThat(page.forRequest(MockServerHttpRequest.get("/actuator/nothing").header("Accept", BROWSER).build())).isNull();
        assertThat(page.forRequest(MockServerHttpRequest.get("/no/such/page").build())).isNull();
        assertThat(page.forRequest(MockServerHttpRequest.get("/no/such/page").header("Accept", "*/*").build())).isNull();
        assertThat(page.forRequest(MockServerHttpRequest.get("/no/such/page").header("Accept", "application/json").build())).isNull();
        assertThat(page.forRequest(MockServerHttpRequest.post("/no/such/page").header("Accept", BROWSER).build())).isNull();
    }

    @Test
    void aBuildWithoutTheUiKeepsTheProblem() {
        NotFoundPage without = new NotFoundPage(new ClassPathResource("no-such-dir/index.html"));
        assertThat(without.forRequest(MockServerHttpRequest.get("/no/such/page").header("Accept", BROWSER).build())).isNull();
    }
}
