package io.edgeplane.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwards TCP connections from an address pods reach (the host's test-network address) to a
 * server that listens on loopback only, such as the embedded PostgreSQL: test plumbing, so that
 * pods on the seed cluster can use a real PostgreSQL server on the host.
 */
final class TcpRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Socket> open = new ArrayList<>();

    private TcpRelay(ServerSocket listener, String targetHost, int targetPort) {
        this.listener = listener;
        Thread accept = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket server = new Socket(targetHost, targetPort);
                    synchronized (open) {
                        open.add(client);
                        open.add(server);
                    }
                    pump(client, server);
                    pump(server, client);
                } catch (IOException closedOrRefused) {
                    // the relay is closing, or the target refused this one connection
                }
            }
        }, "tcp-relay-" + listener.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    static TcpRelay start(String bindAddress, String targetHost, int targetPort) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(bindAddress, 0));
        return new TcpRelay(listener, targetHost, targetPort);
    }

    int port() {
        return listener.getLocalPort();
    }

    private static void pump(Socket from, Socket to) {
        Thread copy = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException closed) {
                // either side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-relay-copy");
        copy.setDaemon(true);
        copy.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (open) {
            open.forEach(TcpRelay::closeQuietly);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
