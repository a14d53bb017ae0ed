package org.wikimedia.spiderpig.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wikimedia.spiderpig.SpiderPigApplication;

/** A whole server started in this JVM on a data directory the test prepared (a restored backup, an old database). */
public final class InProcessServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final Api api;

    private InProcessServer(ConfigurableApplicationContext context) {
        this.context = context;
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        this.api = new Api(WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build());
    }

    public static InProcessServer start(Path data, String... arguments) {
        List<String> args = new ArrayList<>(List.of(arguments));
        args.add("--spiderpig.data-dir=" + data);
        args.add("--server.port=0");
        args.add("--spiderpig.simulator.pace=fast");
        return new InProcessServer(new SpringApplicationBuilder(SpiderPigApplication.class).run(args.toArray(String[]::new)));
    }

    public Api api() {
        return api;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
