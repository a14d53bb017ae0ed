package org.wikimedia.spiderpig.job;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.store.JobOwnerStore.JobOwner;

/**
 * This server process among the instances on one database: {@code id} is new with every start (unless
 * configured), {@code host} names the machine its jobs' supervisors live on, and so outlives a restart.
 */
public record ThisInstance(String id, String host, Instant startedAt) {

    static ThisInstance of(SpiderPigProperties.Instance settings, Instant now) {
        String host = settings.getHost().isEmpty() ? machineName() : settings.getHost();
        String id = settings.getId().isEmpty()
                ? host + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
                : settings.getId();
        return new ThisInstance(id, host, now);
    }

    JobOwner asOwner() {
        return new JobOwner(id, host);
    }

    private static String machineName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
