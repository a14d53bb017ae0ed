package org.wikimedia.spiderpig.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.wikimedia.spiderpig.config.JobTypeProperties;

/** Everything under {@code spiderpig.*}; docs/configuration.md describes each setting. */
@ConfigurationProperties("spiderpig")
public class SpiderPigProperties {

    private Path dataDir = Path.of("data");
    private Map<String, JobTypeProperties> jobs = new LinkedHashMap<>();
    private final Runner runner = new Runner();
    private final Simulator simulator = new Simulator();
    private final Streams streams = new Streams();
    private final EventLog eventLog = new EventLog();
    private final Masking masking = new Masking();
    private final Users users = new Users();
    private final Security security = new Security();
    private final Retention retention = new Retention();
    private final Management management = new Management();
    private final Health health = new Health();
    private final Gerrit gerrit = new Gerrit();
    private final Train train = new Train();
    private final Database database = new Database();
    private final Instance instance = new Instance();

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

    public EventLog getEventLog() {
        return eventLog;
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

    public Retention getRetention() {
        return retention;
    }

    public Management getManagement() {
        return management;
    }

    public Health getHealth() {
        return health;
    }

    public static class Management {
        /** CIDRs besides loopback that may read /actuator/** (health, metrics) without signing in. */
        private List<String> allowedNetworks = new ArrayList<>();

        public List<String> getAllowedNetworks() {
            return allowedNetworks;
        }

        public void setAllowedNetworks(List<String> allowedNetworks) {
            this.allowedNetworks = allowedNetworks;
        }
    }

    public static class Health {
        /** Below this much free space on the data directory's disk, the server reports itself not ready. */
        private DataSize minFreeSpace = DataSize.ofMegabytes(500);

        public DataSize getMinFreeSpace() {
            return minFreeSpace;
        }

        public void setMinFreeSpace(DataSize minFreeSpace) {
            this.minFreeSpace = minFreeSpace;
        }
    }

    public Gerrit getGerrit() {
        return gerrit;
    }

    public Database getDatabase() {
        return database;
    }

    public Instance getInstance() {
        return instance;
    }

    public Train getTrain() {
        return train;
    }

    /** The train's staging directory: the one configured, else the embedded one under the data directory. */
    public Path trainStagingDir() {
        return train.getStagingDir() != null ? train.getStagingDir() : dataDir.resolve(Train.EMBEDDED_STAGING);
    }

    /**
     * Where the train status comes from: {@code stagingDir} holds wikiversions.json and dblists/ (unset: an
     * embedded example under the data directory, made on first start); {@code blockersUrl} is the
     * train-blockers JSON API (unset: a simulated one).
     */
    public static class Train {
        static final String EMBEDDED_STAGING = "train-staging";

        private Path stagingDir;
        private String blockersUrl;
        private Duration timeout = Duration.ofSeconds(3);

        public Path getStagingDir() {
            return stagingDir;
        }

        public void setStagingDir(Path stagingDir) {
            this.stagingDir = stagingDir;
        }

        public String getBlockersUrl() {
            return blockersUrl;
        }

        public void setBlockersUrl(String blockersUrl) {
            this.blockersUrl = blockersUrl;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
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
        /** How long one step of ending a job or recording its cancel may take before the rest goes on. */
        private Duration stepTimeout = Duration.ofSeconds(10);
        /** Keep one job supervisor started ahead, so that a job's command need not wait for a JVM's start. */
        private boolean spareSupervisor = true;

        public boolean isSpareSupervisor() {
            return spareSupervisor;
        }

        public void setSpareSupervisor(boolean spareSupervisor) {
            this.spareSupervisor = spareSupervisor;
        }

        public Duration getStepTimeout() {
            return stepTimeout;
        }

        public void setStepTimeout(Duration stepTimeout) {
            this.stepTimeout = stepTimeout;
        }

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
        /** The SSE messages rendered once for all streams are kept up to this many bytes. */
        private DataSize messageCacheBytes = DataSize.ofMegabytes(4);
        /** Socket writes a second one job's live streams are paced to: many streams get fewer, larger writes. */
        private long fanOutWrites = 40_000;
        /** The longest a line may wait for the next shared write however many streams there are. */
        private Duration fanOutMaxInterval = Duration.ofMillis(40);

        public long getFanOutWrites() {
            return fanOutWrites;
        }

        public void setFanOutWrites(long fanOutWrites) {
            this.fanOutWrites = fanOutWrites;
        }

        public Duration getFanOutMaxInterval() {
            return fanOutMaxInterval;
        }

        public void setFanOutMaxInterval(Duration fanOutMaxInterval) {
            this.fanOutMaxInterval = fanOutMaxInterval;
        }

        public DataSize getMessageCacheBytes() {
            return messageCacheBytes;
        }

        public void setMessageCacheBytes(DataSize messageCacheBytes) {
            this.messageCacheBytes = messageCacheBytes;
        }

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

    /** The in-memory budgets of the job event logs; docs/configuration.md and docs/event-log.md. */
    public static class EventLog {
        private int ringEvents = 4096;
        private DataSize ringBytes = DataSize.ofMegabytes(2);
        private DataSize endedRingBytes = DataSize.ofKilobytes(64);
        private int followBatch = 256;
        private DataSize followBatchBytes = DataSize.ofKilobytes(256);
        private int cachedLogs = 64;
        private DataSize writeBatchBytes = DataSize.ofMegabytes(1);
        private java.time.Duration wakeInterval = java.time.Duration.ofMillis(5);
        /** Logs in PostgreSQL only: a file log's write is an append, cheap enough for each batch at once. */
        private java.time.Duration databaseWriteInterval = java.time.Duration.ofMillis(20);

        public java.time.Duration getDatabaseWriteInterval() {
            return databaseWriteInterval;
        }

        public void setDatabaseWriteInterval(java.time.Duration databaseWriteInterval) {
            this.databaseWriteInterval = databaseWriteInterval;
        }

        public java.time.Duration getWakeInterval() {
            return wakeInterval;
        }

        public void setWakeInterval(java.time.Duration wakeInterval) {
            this.wakeInterval = wakeInterval;
        }

        public int getRingEvents() {
            return ringEvents;
        }

        public void setRingEvents(int ringEvents) {
            this.ringEvents = ringEvents;
        }

        public DataSize getRingBytes() {
            return ringBytes;
        }

        public void setRingBytes(DataSize ringBytes) {
            this.ringBytes = ringBytes;
        }

        public DataSize getEndedRingBytes() {
            return endedRingBytes;
        }

        public void setEndedRingBytes(DataSize endedRingBytes) {
            this.endedRingBytes = endedRingBytes;
        }

        public int getFollowBatch() {
            return followBatch;
        }

        public void setFollowBatch(int followBatch) {
            this.followBatch = followBatch;
        }

        public DataSize getFollowBatchBytes() {
            return followBatchBytes;
        }

        public void setFollowBatchBytes(DataSize followBatchBytes) {
            this.followBatchBytes = followBatchBytes;
        }

        public int getCachedLogs() {
            return cachedLogs;
        }

        public void setCachedLogs(int cachedLogs) {
            this.cachedLogs = cachedLogs;
        }

        public DataSize getWriteBatchBytes() {
            return writeBatchBytes;
        }

        public void setWriteBatchBytes(DataSize writeBatchBytes) {
            this.writeBatchBytes = writeBatchBytes;
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
        /** The user every request acts as in local mode; defaults to the OS user running the server. */
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
        /** Single sign-on through an OpenID Connect provider; setting its issuer turns sign-in on. */
        private Oidc oidc = new Oidc();
        private final AccessLog accessLog = new AccessLog();

        public AccessLog getAccessLog() {
            return accessLog;
        }

        public Oidc getOidc() {
            return oidc;
        }

        public void setOidc(Oidc oidc) {
            this.oidc = oidc;
        }

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

        private final SecondFactor secondFactor = new SecondFactor();

        public SecondFactor getSecondFactor() {
            return secondFactor;
        }
    }

    /** TOTP for local accounts (docs/security.md). */
    public static class SecondFactor {
        /** Whether every local account must enrol and give a code; false leaves it to each user. */
        private boolean required = true;
        /** The key that encrypts the secrets; unset: {@code second-factor.key} in the data directory. */
        private Path keyFile;
        /** The name authenticator apps show beside the account. */
        private String issuer = "SpiderPig";

        public boolean isRequired() {
            return required;
        }

        public void setRequired(boolean required) {
            this.required = required;
        }

        public Path getKeyFile() {
            return keyFile;
        }

        public void setKeyFile(Path keyFile) {
            this.keyFile = keyFile;
        }

        public String getIssuer() {
            return issuer;
        }

        public void setIssuer(String issuer) {
            this.issuer = issuer;
        }
    }

    /** One line per HTTP request on the logger reactor.netty.http.server.AccessLog (docs/operations.md). */
    public static class AccessLog {
        private boolean enabled = true;
        /** Client addresses cut to their /24 (IPv4) or /48 (IPv6), as the hosting platform asks of its tools. */
        private boolean anonymizeAddresses = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isAnonymizeAddresses() {
            return anonymizeAddresses;
        }

        public void setAnonymizeAddresses(boolean anonymizeAddresses) {
            this.anonymizeAddresses = anonymizeAddresses;
        }
    }

    /** An OpenID Connect provider (docs/security.md); unset issuer: no single sign-on. */
    public static class Oidc {
        /** The provider's issuer URL; its /.well-known/openid-configuration says the rest. */
        private String issuer;
        private String clientId;
        /** Best from the environment: SPIDERPIG_SECURITY_OIDC_CLIENT_SECRET. */
        private String clientSecret;
        /** Shown on the sign-in page: "Sign in with …". */
        private String providerName = "single sign-on";
        /** Unset: this request's own address + /login/oauth2/code/oidc; set it behind a proxy (the public URL). */
        private String redirectUri;
        private List<String> scopes = new ArrayList<>(List.of("openid", "profile", "email"));
        /** The claim holding the user name. */
        private String userClaim = "preferred_username";
        /** The claim holding the user's groups (a list of strings), mapped to roles by spiderpig.security.groups. */
        private String groupsClaim = "groups";
        /** Refuse users whose sign-in the provider did not confirm with a second factor. */
        private boolean requireMfa;
        /** Sent as acr_values when MFA is required; an acr claim equal to one of them counts as MFA. */
        private List<String> mfaAcrValues = new ArrayList<>();
        /** An amr claim holding one of these counts as MFA (RFC 8176 names). */
        private List<String> mfaAmrValues = new ArrayList<>(List.of("mfa", "otp", "hwk", "swk"));

        public boolean isConfigured() {
            return issuer != null && !issuer.isBlank();
        }

        public String getIssuer() {
            return issuer;
        }

        public void setIssuer(String issuer) {
            this.issuer = issuer;
        }

        public String getClientId() {
            return clientId;
        }

        public void setClientId(String clientId) {
            this.clientId = clientId;
        }

        public String getClientSecret() {
            return clientSecret;
        }

        public void setClientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
        }

        public String getProviderName() {
            return providerName;
        }

        public String getRedirectUri() {
            return redirectUri;
        }

        public void setRedirectUri(String redirectUri) {
            this.redirectUri = redirectUri;
        }

        public void setProviderName(String providerName) {
            this.providerName = providerName;
        }

        public List<String> getScopes() {
            return scopes;
        }

        public void setScopes(List<String> scopes) {
            this.scopes = scopes;
        }

        public String getUserClaim() {
            return userClaim;
        }

        public void setUserClaim(String userClaim) {
            this.userClaim = userClaim;
        }

        public String getGroupsClaim() {
            return groupsClaim;
        }

        public void setGroupsClaim(String groupsClaim) {
            this.groupsClaim = groupsClaim;
        }

        public boolean isRequireMfa() {
            return requireMfa;
        }

        public void setRequireMfa(boolean requireMfa) {
            this.requireMfa = requireMfa;
        }

        public List<String> getMfaAcrValues() {
            return mfaAcrValues;
        }

        public void setMfaAcrValues(List<String> mfaAcrValues) {
            this.mfaAcrValues = mfaAcrValues;
        }

        public List<String> getMfaAmrValues() {
            return mfaAmrValues;
        }

        public void setMfaAmrValues(List<String> mfaAmrValues) {
            this.mfaAmrValues = mfaAmrValues;
        }
    }

    /**
     * Where jobs, prompts, sign-in and (with PostgreSQL) the event logs are kept. Empty {@link #url}: SQLite in
     * {@code spiderpig.data-dir}, the embedded default. An {@code r2dbc:postgresql://host:port/database} URL: that
     * PostgreSQL database, shared by every instance that names it; its credentials best come from the environment
     * ({@code SPIDERPIG_DATABASE_USERNAME}, {@code SPIDERPIG_DATABASE_PASSWORD}).
     */
    public static class Database {
        private String url = "";
        private String username;
        private String password;
        /** Connections kept open to PostgreSQL by this instance (SQLite has its own fixed set). */
        private int maxConnections = 10;
        /**
         * How long a call to PostgreSQL that finds it unreachable (restarting, failing over, its connections
         * ended) is tried again before it fails: long enough for a failover, short enough that a job does not
         * wait for good on a database that is gone.
         */
        private Duration outageRetry = Duration.ofSeconds(60);

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url == null ? "" : url.trim();
        }

        /** True when the stores are in PostgreSQL rather than the embedded SQLite file. */
        public boolean isPostgresql() {
            return url.startsWith("r2dbc:postgresql:") || url.startsWith("r2dbc:pool:postgresql:");
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public int getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        public Duration getOutageRetry() {
            return outageRetry;
        }

        public void setOutageRetry(Duration outageRetry) {
            this.outageRetry = outageRetry;
        }
    }

    /**
     * This server among several on one database: its name ({@code id}, else the host name and a random suffix per
     * start), the host its jobs' processes live on, how often it says it is alive, how long a silent instance's
     * queue stays held before another takes it over, and how often it looks for commands to the jobs it runs.
     */
    public static class Instance {
        private String id = "";
        private String host = "";
        private Duration heartbeat = Duration.ofSeconds(5);
        private Duration leaseTtl = Duration.ofSeconds(30);
        private Duration commandPoll = Duration.ofMillis(100);

        public String getId() {
            return id;
        }

        public void setId(String id) {
            this.id = id == null ? "" : id.trim();
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host == null ? "" : host.trim();
        }

        public Duration getHeartbeat() {
            return heartbeat;
        }

        public void setHeartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
        }

        public Duration getLeaseTtl() {
            return leaseTtl;
        }

        public void setLeaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
        }

        public Duration getCommandPoll() {
            return commandPoll;
        }

        public void setCommandPoll(Duration commandPoll) {
            this.commandPoll = commandPoll;
        }
    }

    public static class Retention {
        /** Whether the cleanup runs by itself every {@link #interval}; the admin API can run it either way. */
        private boolean enabled = true;
        private Duration interval = Duration.ofHours(1);
        /** Finished jobs older than this go, with their logs and prompts. */
        private Duration maxAge = Duration.ofDays(90);
        /** The newest finished jobs that always stay, however old. */
        private int keepNewest = 200;
        /** When set, the oldest finished jobs (beyond {@link #keepNewest}) also go until all logs fit in this. */
        private DataSize maxLogSize;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }

        public int getKeepNewest() {
            return keepNewest;
        }

        public void setKeepNewest(int keepNewest) {
            this.keepNewest = keepNewest;
        }

        public DataSize getMaxLogSize() {
            return maxLogSize;
        }

        public void setMaxLogSize(DataSize maxLogSize) {
            this.maxLogSize = maxLogSize;
        }
    }
}
