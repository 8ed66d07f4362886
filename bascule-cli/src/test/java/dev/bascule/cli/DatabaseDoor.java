package dev.bascule.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP door in front of the test's PostgreSQL server: open, it forwards every connection to the
 * server; {@link #shut()} makes the database go away for whoever reaches it through the door (the
 * port refuses connections, live ones are cut); {@link #hang()} makes it a black hole (connections
 * are accepted and never answered), as a server that froze or a dropped route does.
 */
final class DatabaseDoor implements AutoCloseable {
    private final String host;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;
    private volatile boolean hanging;

    DatabaseDoor(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        accept(listener);
    }

    /** A door to the server of {@code url}, a jdbc:postgresql://HOST:PORT/... URL. */
    static DatabaseDoor to(String url) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("//([^/:]+):(\\d+)/").matcher(url);
        if (!m.find()) {
            throw new IllegalArgumentException("no HOST:PORT in " + url);
        }
        return new DatabaseDoor(m.group(1), Integer.parseInt(m.group(2)));
    }

    int port() {
        return listener.getLocalPort();
    }

    /** {@code url} (a jdbc:postgresql://HOST:PORT/... URL) through the door. */
    String through(String url) {
        return url.replaceFirst("//[^/]+/", "//127.0.0.1:" + port() + "/");
    }

    /** The database goes away: the port refuses connections and every live one is cut. */
    void shut() throws IOException {
        listener.close();
        cutAll();
    }

    /** The database stops answering: connections are accepted, cut ones stay cut, nothing is forwarded. */
    void hang() throws IOException {
        hanging = true;
        cutAll();
    }

    private void cutAll() throws IOException {
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    private void accept(ServerSocket server) {
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    open.add(client);
                    if (hanging) {
                        continue; // accepted, never answered
                    }
                    Socket db = new Socket(host, port);
                    open.add(db);
                    pipe(client, db);
                    pipe(db, client);
                } catch (IOException e) {
                    // closed: the door is shut
                }
            }
        }, "database-door");
        t.setDaemon(true);
        t.start();
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (SocketException e) {
                // cut
            } catch (IOException e) {
                // cut
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "database-door-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutAll();
    }
}
