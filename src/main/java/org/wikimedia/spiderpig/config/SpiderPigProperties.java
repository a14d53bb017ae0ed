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
    private final Security security = new Security();

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

    public Security getSecurity() {
        return security;
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

    /** Sign-in: docs/security.md explains the model, docs/configuration.md each setting. */
    public static class Security {
        /** Unset: local mode when bound to loopback without sign-in configured; false turns it off there too. */
        private Boolean localMode;
        /** The local accounts file ({@code java -jar spiderpig.jar user add} writes it); setting it turns sign-in on. */
        private Path accountsFile;
        /** Group name → role (viewer, deployer, admin); a user gets the highest role of their groups. */
        private Map<String, String> groups = new LinkedHashMap<>(Map.of(
                "viewers", "viewer", "deployers", "deployer", "admins", "admin"));
        private Duration sessionLifetime = Duration.ofDays(14);
        private Duration tokenLifetime = Duration.ofDays(90);
        /** The lowest role that may read output unmasked (viewer, deployer or admin). */
        private String unmaskedRole = "admin";

        public Boolean getLocalMode() {
            return localMode;
        }

        public void setLocalMode(Boolean localMode) {
            this.localMode = localMode;
        }

        public Path getAccountsFile() {
            return accountsFile;
        }

        public void setAccountsFile(Path accountsFile) {
            this.accountsFile = accountsFile;
        }

        public Map<String, String> getGroups() {
            return groups;
        }

        public void setGroups(Map<String, String> groups) {
            this.groups = groups;
        }

        public Duration getSessionLifetime() {
            return sessionLifetime;
        }

        public void setSessionLifetime(Duration sessionLifetime) {
            this.sessionLifetime = sessionLifetime;
        }

        public Duration getTokenLifetime() {
            return tokenLifetime;
        }

        public void setTokenLifetime(Duration tokenLifetime) {
            this.tokenLifetime = tokenLifetime;
        }

        public String getUnmaskedRole() {
            return unmaskedRole;
        }

        public void setUnmaskedRole(String unmaskedRole) {
            this.unmaskedRole = unmaskedRole;
        }
    }
}
