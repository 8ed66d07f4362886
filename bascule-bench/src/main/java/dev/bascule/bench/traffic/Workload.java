package dev.bascule.bench.traffic;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The application: clients split into two groups of (nearly) equal size. The old group runs the
 * old code until it is redeployed; the new group is the new code, which runs the old statements
 * until its version of the schema exists and is then deployed onto it.
 */
final class Workload {
    private final List<Client> oldGroup = new ArrayList<>();
    private final List<Client> newGroup = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final WriteTally tally = new WriteTally();

    /** @param applicationName the prefix of each client's application_name, by which the monitor finds them */
    Workload(DataSource dataSource, Timeline timeline, String applicationName, int clients, long rows, Assignment initial) {
        for (int i = 0; i < clients; i++) {
            Client c = new Client(i + 1, applicationName + "-" + (i + 1), dataSource, timeline, tally, rows, initial);
            (i < clients / 2 ? oldGroup : newGroup).add(c);
        }
    }

    void start() {
        for (Client c : all()) {
            Thread t = new Thread(c, "traffic-client");
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    void deployNewGroup(Assignment as) {
        newGroup.forEach(c -> c.deploy(as));
    }

    void deployOldGroup(Assignment as) {
        oldGroup.forEach(c -> c.deploy(as));
    }

    /** Stops every client after its current statement, waiting for it however long it takes. */
    void stop() throws InterruptedException {
        all().forEach(Client::stop);
        for (Thread t : threads) {
            t.join();
        }
    }

    WriteTally tally() {
        return tally;
    }

    private List<Client> all() {
        List<Client> all = new ArrayList<>(oldGroup);
        all.addAll(newGroup);
        return all;
    }
}
