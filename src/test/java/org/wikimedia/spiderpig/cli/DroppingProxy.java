package org.wikimedia.spiderpig.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy to the server whose connections a test can cut, as a flaky network or a restarted proxy
 * would, and point at another server, as a load balancer does when a server is replaced.
 */
final class DroppingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private volatile int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    DroppingProxy(int target) {
        this.target = target;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("proxy-accept", this::acceptAll);
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** New connections go to this port from now on. */
    void retarget(int port) {
        target = port;
    }

    /** Closes every open connection; returns how many there were. */
    int dropAll() {
        int dropped = 0;
        for (Socket socket : open) {
            close(socket);
            open.remove(socket);
            dropped++;
        }
        return dropped;
    }

    @Override
    public void close() {
        close(listener);
        dropAll();
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server;
                try {
                    server = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException serverDown) {
                    close(client);
                    continue;
                }
                open.add(client);
                open.add(server);
                daemon("proxy-up", () -> pump(client, server));
                daemon("proxy-down", () -> pump(server, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException dropped) {
            // one side closed: close the other below
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(AutoCloseable socket) {
        try {
            socket.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
