package org.wikimedia.spiderpig.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.wikimedia.spiderpig.config.JobTypeProperties;

/** Everything under {@code spiderpig.*}; docs/configuration.md describes each setting. */
@ConfigurationProperties("spiderpig")
public class SpiderPigProperties {

    private Path dataDir = Path.of("data");
    private Map<String, JobTypeProperties> jobs = new LinkedHashMap<>();
    private final Runner runner = new Runner();
    private final Simulator simulator = new Simulator();
    private final Streams streams = new Streams();
    private final Masking masking = new Masking();
    private final Users users = new Users();
    private final Gerrit gerrit = new Gerrit();

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Map<String, JobTypeProperties> getJobs() {
        return jobs;
    }

    public void setJobs(Map<String, JobTypeProperties> jobs) {
        this.jobs = jobs;
    }

    public Runner getRunner() {
        return runner;
    }

    public Simulator getSimulator() {
        return simulator;
    }

    public Streams getStreams() {
        return streams;
    }

    public Masking getMasking() {
        return masking;
    }

    public Users getUsers() {
        return users;
    }

    public Gerrit getGerrit() {
        return gerrit;
    }

    /**
     * Where change details come from ({@code url}: the Gerrit REST base; none: the built-in simulated Gerrit)
     * and where pages link to ({@code webUrl} for changes, {@code phabricatorUrl} for tasks).
     */
    public static class Gerrit {
        private String url;
        private String webUrl = "https://gerrit.wikimedia.org/r";
        private String phabricatorUrl = "https://phabricator.wikimedia.org";
        private Duration timeout = Duration.ofSeconds(3);
        private Duration cacheFor = Duration.ofSeconds(60);

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getWebUrl() {
            return webUrl;
        }

        public void setWebUrl(String webUrl) {
            this.webUrl = webUrl;
        }

        public String getPhabricatorUrl() {
            return phabricatorUrl;
        }

        public void setPhabricatorUrl(String phabricatorUrl) {
            this.phabricatorUrl = phabricatorUrl;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getCacheFor() {
            return cacheFor;
        }

        public void setCacheFor(Duration cacheFor) {
            this.cacheFor = cacheFor;
        }
    }

    public static class Runner {
        private Duration promptIdle = Duration.ofMillis(300);
        private int maxLineBytes = 64 * 1024;

        public Duration getPromptIdle() {
            return promptIdle;
        }

        public void setPromptIdle(Duration promptIdle) {
            this.promptIdle = promptIdle;
        }

        public int getMaxLineBytes() {
            return maxLineBytes;
        }

        public void setMaxLineBytes(int maxLineBytes) {
            this.maxLineBytes = maxLineBytes;
        }
    }

    public static class Simulator {
        /** {@code realistic}, {@code fast}, or a multiplier of the realistic delays. */
        private String pace = "realistic";

        public String getPace() {
            return pace;
        }

        public void setPace(String pace) {
            this.pace = pace;
        }
    }

    public static class Streams {
        private Duration heartbeat = Duration.ofSeconds(15);
        /** How often /api/events may report one job's status text and progress. */
        private Duration jobUpdateInterval = Duration.ofMillis(250);

        public Duration getHeartbeat() {
            return heartbeat;
        }

        public void setHeartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
        }

        public Duration getJobUpdateInterval() {
            return jobUpdateInterval;
        }

        public void setJobUpdateInterval(Duration jobUpdateInterval) {
            this.jobUpdateInterval = jobUpdateInterval;
        }
    }

    public static class Masking {
        /** Regexes whose matches are replaced by [REDACTED]; added to the built-in ones. */
        private List<String> patterns = new ArrayList<>();

        public List<String> getPatterns() {
            return patterns;
        }

        public void setPatterns(List<String> patterns) {
            this.patterns = patterns;
        }
    }

    public static class Users {
        /** The user every request acts as until sign-in exists; defaults to the OS user running the server. */
        private String localUser = System.getProperty("user.name", "local");

        public String getLocalUser() {
            return localUser;
        }

        public void setLocalUser(String localUser) {
            this.localUser = localUser;
        }
    }
}
