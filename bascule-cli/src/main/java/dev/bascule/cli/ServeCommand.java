package dev.bascule.cli;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a live status page, /status (JSON) and /metrics (Prometheus) over HTTP.",
                "Reads everything from the database at each request, so it runs beside 'bascule start'.",
                "With a token, the page and POST /pause, /resume pause and resume the backfill.",
                "With --fleet FLEET_FILE, every member of the fleet: one row each, and /metrics",
                "with a member label."})
final class ServeCommand extends BaseCommand {
    static final String TOKEN_ENV = "BASCULE_SERVE_TOKEN";
    static final int LOGIN_TIMEOUT_SECONDS = 5;
    static final int SOCKET_TIMEOUT_SECONDS = 30;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "TCP port, 0 to 65535; 0 picks a free one (default 8080)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for every interface)")
    String bind;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "enables pause and resume for whoever presents it (env " + TOKEN_ENV + "; default: read-only)")
    String token;

    @Option(names = "--fleet", paramLabel = "FLEET_FILE",
            description = "serve a fleet instead of one database: every member's row on the page and in /status,"
                    + " /metrics with a member label; pause and resume act on the whole fleet")
    java.nio.file.Path fleetFile;

    @Option(names = "--journal", paramLabel = "FILE",
            description = "with --fleet: the fleet's journal (default: FLEET_FILE.journal.json beside the fleet file)")
    java.nio.file.Path journalFile;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new InvalidMigrationException("--port must be between 0 and 65535 (0 picks a free port), got " + port);
        }
        InetAddress address = address(bind);
        String secret = token != null ? token : cli.env(TOKEN_ENV);
        if (secret != null && secret.isBlank()) {
            throw new InvalidMigrationException("--token must not be blank");
        }
        cli.secret(secret);
        // serve lives on: its notifications are delivered in the background, and a pause click must
        // not wait on a slow webhook
        if (journalFile != null && fleetFile == null) {
            throw new InvalidMigrationException("--journal is for --fleet");
        }
        dev.bascule.fleet.Fleet fleet = fleetFile == null ? null
                : FleetCommand.open(cli, fleetFile, journalFile, new java.util.ArrayList<>(), null,
                        dev.bascule.api.BackfillOptions.defaults(), ServeCommand::boundWaits);
        Bascule bascule = fleet != null ? null : cli.configured(dev.bascule.api.BackfillOptions.defaults(), ServeCommand::boundWaits)
                .notificationWait(java.time.Duration.ZERO).load();
        BearerToken bearer = secret == null ? null : new BearerToken(secret);
        try (StatusServer server = start(new InetSocketAddress(address, port), bascule, fleet, bearer)) {
            InetSocketAddress at = server.address();
            String host = at.getAddress().isAnyLocalAddress() ? "localhost" : at.getAddress().getHostAddress();
            if (host.contains(":")) {
                host = "[" + host + "]";
            }
            io().out("serving http://" + host + ":" + at.getPort() + "/ (status page), /status (JSON), /metrics (Prometheus)"
                    + " on " + at.getAddress().getHostAddress() + ":" + at.getPort());
            io().out(bearer == null ? "read-only: pause and resume need --token TOKEN (or " + TOKEN_ENV + ")"
                    : "pause and resume: enabled for requests with the token");
            if (bearer != null && !at.getAddress().isLoopbackAddress()) {
                io().err("bascule: warning: the token crosses the network in clear text over HTTP;"
                        + " put a TLS proxy in front of serve or keep --bind on 127.0.0.1");
            }
            new CountDownLatch(1).await(); // until the process is stopped (Ctrl-C) or, embedded, interrupted
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private StatusServer start(InetSocketAddress at, Bascule bascule, dev.bascule.fleet.Fleet fleet, BearerToken bearer) {
        try {
            return fleet != null ? StatusServer.start(at, fleet, bearer, cli::scrub) : StatusServer.start(at, bascule, bearer, cli::scrub);
        } catch (BindException e) {
            // a port in use or an address not of this machine: both are the user's choice to change
            throw new InvalidMigrationException("cannot listen on " + at.getAddress().getHostAddress() + ":" + at.getPort()
                    + ": " + e.getMessage() + "; choose another --port or --bind");
        } catch (IOException e) {
            throw new BasculeException("serve failed to start: " + e.getMessage(), e);
        }
    }

    /**
     * The database as the other commands reach it, but a server that accepts connections and never
     * answers makes a request fail (503) after {@link #LOGIN_TIMEOUT_SECONDS} instead of holding a
     * worker for ever; and a query on a connection that went silent fails after
     * {@link #SOCKET_TIMEOUT_SECONDS}. Timeouts the URL sets itself are kept.
     */
    private static void boundWaits(javax.sql.DataSource ds) {
        try {
            if (ds.getLoginTimeout() == 0) {
                ds.setLoginTimeout(LOGIN_TIMEOUT_SECONDS);
            }
        } catch (java.sql.SQLException e) {
            throw new BasculeException("cannot set serve's login timeout: " + e.getMessage(), e);
        }
        if (ds instanceof org.postgresql.ds.PGSimpleDataSource pg && pg.getSocketTimeout() == 0) {
            pg.setSocketTimeout(SOCKET_TIMEOUT_SECONDS);
        }
    }

    private static InetAddress address(String bind) {
        if (bind == null || bind.isBlank()) {
            throw new InvalidMigrationException("--bind must be an address or a host name, got nothing");
        }
        try {
            return InetAddress.getByName(bind.strip());
        } catch (UnknownHostException e) {
            throw new InvalidMigrationException("--bind " + bind + " is not an IP address or a host name this machine"
                    + " can resolve");
        }
    }
}
