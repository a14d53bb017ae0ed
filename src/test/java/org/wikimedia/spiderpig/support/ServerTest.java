package org.wikimedia.spiderpig.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/** A whole server on a random port, for tests that go through HTTP like a user would. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spiderpig.simulator.pace=fast", "spiderpig.runner.prompt-idle=200ms",
                "spring.main.banner-mode=off"})
@AutoConfigureWebTestClient(timeout = "60s")
public @interface ServerTest {
}
