package org.wikimedia.spiderpig.store.r2dbc.transfer;

import ch.qos.logback.classic.Level;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar spiderpig.jar move-to-postgresql --data-dir DIR --to URL}: a stopped server's data directory
 * into an empty PostgreSQL database (see {@link DataDirectoryMove}), with the credentials from the environment
 * variables the server reads, never from the command line, where every user of the host can read them.
 */
@Command(name = "move-to-postgresql", mixinStandardHelpOptions = true,
        description = "Copies a stopped server's data directory (its SQLite records and its jobs' log files) into an"
                + " empty PostgreSQL database, keeping every id.",
        footer = {"", "Credentials: $" + MoveToPostgresqlCommand.USERNAME + " and $" + MoveToPostgresqlCommand.PASSWORD
                + " (as for the server).",
            "Exit codes: 0 moved, 1 refused (nothing copied) or failed (what was copied removed), 2 usage.",
            "More: docs/operations.md#moving-a-data-directory-to-postgresql"})
public final class MoveToPostgresqlCommand implements Callable<Integer> {

    static final String USERNAME = "SPIDERPIG_DATABASE_USERNAME";
    static final String PASSWORD = "SPIDERPIG_DATABASE_PASSWORD";
    static final int REFUSED = 1;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
            description = "the data directory of the stopped server (spiderpig.data-dir)")
    Path dataDir;

    @Option(names = "--to", required = true, paramLabel = "URL",
            description = "the PostgreSQL database, as an R2DBC URL: r2dbc:postgresql://HOST:5432/DATABASE")
    String url;

    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;

    MoveToPostgresqlCommand(Map<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    public static int run(String[] args) {
        // No Spring here to configure logging: the drivers' debug output would bury the progress.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        return run(args, System.getenv(), System.out, System.err);
    }

    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        return new CommandLine(new MoveToPostgresqlCommand(environment, out, err))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Override
    public Integer call() {
        SpiderPigProperties.Database target = new SpiderPigProperties.Database();
        target.setUrl(url);
        if (!target.isPostgresql()) {
            err.println("move-to-postgresql: --to must be a PostgreSQL R2DBC URL (r2dbc:postgresql://HOST:5432/DATABASE)");
            return CommandLine.ExitCode.USAGE;
        }
        target.setUsername(environment.get(USERNAME));
        target.setPassword(environment.get(PASSWORD));
        target.setMaxConnections(2);
        if (target.getUsername() == null && !ConnectionFactoryOptions.parse(url).hasOption(ConnectionFactoryOptions.USER)) {
            err.println("move-to-postgresql: say who connects: set " + USERNAME + " and " + PASSWORD
                    + " (as for the server)");
            return CommandLine.ExitCode.USAGE;
        }
        out.println("moving " + dataDir.toAbsolutePath().normalize() + " to " + url);
        try {
            MoveSummary summary = new DataDirectoryMove(dataDir, target, out).run();
            out.println(summary.describe());
            out.println("Start the server with --spiderpig.database.url=" + url + " and this same data directory"
                    + " (it keeps second-factor.key and the jobs' supervisor files).");
            return CommandLine.ExitCode.OK;
        } catch (MoveRefused refused) {
            err.println("move-to-postgresql: refused, nothing was copied: " + refused.getMessage());
            return REFUSED;
        } catch (IOException | RuntimeException failed) {
            err.println("move-to-postgresql: failed, nothing of the data directory was left in PostgreSQL: " + failed);
            return REFUSED;
        }
    }
}
