package org.wikimedia.spiderpig;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.wikimedia.spiderpig.cli.SpiderPigCli;
import org.wikimedia.spiderpig.security.UserCommand;
import org.wikimedia.spiderpig.simulator.Simulator;
import org.wikimedia.spiderpig.store.r2dbc.transfer.MoveToPostgresqlCommand;
import org.wikimedia.spiderpig.supervisor.Supervisor;
import org.wikimedia.spiderpig.supervisor.SupervisorCommand;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SpiderPigApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("simulate")) {
            // The built-in simulator runs as a subprocess of the server: no Spring, just the simulation.
            System.exit(Simulator.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals(SupervisorCommand.ARGUMENT)) {
            // A job's supervisor (started by the server from its own jar): no Spring, only the JDK.
            Supervisor.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("user")) {
            // Edits the local accounts file and exits, like simulate: no server starts.
            System.exit(UserCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("move-to-postgresql")) {
            // Copies a stopped server's data directory into PostgreSQL and exits: no server starts.
            System.exit(MoveToPostgresqlCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("cli")) {
            // The command-line client (bin/spiderpig) talks to a server over HTTP: no Spring, so it starts at once.
            SpiderPigCli.main(Arrays.copyOfRange(args, 1, args.length));
        }
        SpringApplication.run(SpiderPigApplication.class, args);
    }
}
