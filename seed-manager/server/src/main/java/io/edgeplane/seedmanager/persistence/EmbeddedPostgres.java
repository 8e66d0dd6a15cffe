package io.edgeplane.seedmanager.persistence;

import io.edgeplane.seedmanager.config.EdgeplaneConfig;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * A real PostgreSQL server owned by this seed manager, living in {@code <data dir>/postgres}.
 * Started on first use (see {@link EmbeddedDataSourceInitializer}); survives restarts, including
 * a kill -9 of the seed manager that leaves the old server or its lock file behind.
 */
@Singleton
public class EmbeddedPostgres {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String SUPERUSER = "edgeplane";

    private final EdgeplaneConfig edgeplane;
    private final EmbeddedPostgresConfig config;
    private final Path root;
    private final Path dataDir;
    private final Path passwordFile;
    private ServerAccount account;
    private Path bin;
    private String password;
    private int port;
    private boolean running;
    private FileChannel lockChannel;
    /**
     * Stops the server when the JVM exits without closing this bean (a start refused after the
     * server came up, System.exit): the server is a daemon of its own and would outlive us. A kill -9
     * still leaves it running, and the next start takes it over.
     */
    private Thread stopOnExit;

    public EmbeddedPostgres(EdgeplaneConfig edgeplane, EmbeddedPostgresConfig config) {
        this.config = config;
        this.edgeplane = edgeplane;
        this.root = edgeplane.dataDir().toAbsolutePath().resolve("postgres");
        this.dataDir = root.resolve("data");
        // Outside the server's directory: only the seed manager's own user can read it.
        this.passwordFile = edgeplane.dataDir().toAbsolutePath().resolve("postgres-password");
    }

    /** Starts the server if it is not running yet and returns the JDBC URL of Edgeplane's database. */
    public synchronized String start() {
        if (running) {
            return jdbcUrl(config.database());
        }
        long started = System.nanoTime();
        try {
            lockDataDir(edgeplane.ensureDataDir().resolve("postgres.lock"));
            prepareAndStart();
        } catch (IOException e) {
            stop();
            throw new EmbeddedPostgresException("embedded PostgreSQL in " + root + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        stopOnExit = new Thread(this::stop, "embedded-postgres-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        LOG.info("embedded PostgreSQL ready on 127.0.0.1:{} data={} in {} ms",
                port, dataDir, (System.nanoTime() - started) / 1_000_000);
        return jdbcUrl(config.database());
    }

    private void prepareAndStart() throws IOException {
        Files.createDirectories(root);
        account = ServerAccount.forCurrentProcess(config.osUser());
        bin = PostgresBinaries.resolve(config.binDir(), root.resolve("binaries"));
        account.adopt(root);
        password = readOrCreatePassword();
        if (!Files.isRegularFile(dataDir.resolve("PG_VERSION"))) {
            initialize();
        }
        new LeftoverServer(dataDir, args -> pgCtl(args)).stopIfRunning();
        port = config.port() != 0 ? config.port() : freePort();
        writeManagedSettings();
        startServer();
        running = true;
        ensureDatabase();
    }

    public String username() {
        return SUPERUSER;
    }

    public synchronized String password() {
        return password;
    }

    /** Stops the server (after the pool: {@link EmbeddedDataSourceInitializer}; at JVM exit otherwise) and releases the data directory. */
    public synchronized void stop() {
        if (running) {
            try {
                pgCtl("stop", "-w", "-t", "60", "-m", "fast");
                LOG.info("embedded PostgreSQL stopped data={}", dataDir);
            } catch (EmbeddedPostgresException e) {
                LOG.warn("embedded PostgreSQL did not stop cleanly data={}: {}", dataDir, e.getMessage());
            }
            running = false;
        }
        releaseLock();
        if (stopOnExit != null && Thread.currentThread() != stopOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException exiting) {
                // the JVM is exiting: the hook runs and finds the server stopped
            }
        }
        stopOnExit = null;
    }

    /**
     * Held while this seed manager owns the server. The OS drops it when the process dies, even by
     * kill -9, so a server found running without the lock is a leftover, never a live sibling's.
     */
    private void lockDataDir(Path lockFile) throws IOException {
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            lockChannel = null;
            throw new EmbeddedPostgresException("another seed manager is using " + lockFile.getParent()
                    + "; stop it or set EDGEPLANE_DATA_DIR to another directory");
        }
    }

    private void releaseLock() {
        if (lockChannel != null) {
            try {
                lockChannel.close();
            } catch (IOException e) {
                LOG.warn("cannot release the data directory lock data={}: {}", dataDir, e.getMessage());
            }
            lockChannel = null;
        }
    }

    private void startServer() throws IOException {
        Path log = root.resolve("postgres.log");
        try {
            pgCtl("start", "-w", "-t", "60", "-l", log.toString());
        } catch (EmbeddedPostgresException e) {
            List<String> lines = Files.isRegularFile(log) ? Files.readAllLines(log) : List.of();
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
            throw new EmbeddedPostgresException(e.getMessage() + "\nlast lines of " + log + ":\n" + tail, e);
        }
    }

    private void initialize() throws IOException {
        // initdb into a scratch directory and rename, so a crash never leaves a half-initialised cluster.
        Path scratch = root.resolve("data.init");
        PostgresBinaries.deleteRecursively(scratch);
        Path pwfile = root.resolve("initdb-password");
        Files.writeString(pwfile, password);
        account.giveOwnership(pwfile);
        try {
            Commands.run(Commands.concat(account.commandPrefix(), bin.resolve("initdb").toString(),
                    "-D", scratch.toString(), "-U", SUPERUSER, "--pwfile=" + pwfile, "-A", "scram-sha-256",
                    "-E", "UTF8", "--no-locale"), 300);
        } finally {
            Files.deleteIfExists(pwfile);
        }
        Files.writeString(scratch.resolve("postgresql.conf"),
                "\ninclude_if_exists = 'edgeplane.conf'\n", java.nio.file.StandardOpenOption.APPEND);
        Files.move(scratch, dataDir);
        LOG.info("initialised PostgreSQL cluster data={}", dataDir);
    }

    /** Settings owned by Edgeplane, rewritten at each start (the port may change). */
    private void writeManagedSettings() throws IOException {
        Path conf = dataDir.resolve("edgeplane.conf");
        Files.writeString(conf, String.join("\n",
                "# Written by the Edgeplane seed manager at every start; edits are lost.",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = ''",
                "") );
        account.giveOwnership(conf);
    }

    private String readOrCreatePassword() throws IOException {
        if (Files.isRegularFile(dataDir.resolve("PG_VERSION"))) {
            if (!Files.isRegularFile(passwordFile)) {
                throw new EmbeddedPostgresException(passwordFile + " is missing but the database in " + dataDir
                        + " exists; restore the file, or move the database away to start empty");
            }
            return Files.readString(passwordFile).strip();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String generated = HexFormat.of().formatHex(random);
        Path tmp = passwordFile.resolveSibling(passwordFile.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, generated);
        Files.move(tmp, passwordFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return generated;
    }

    private void ensureDatabase() {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), props);
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, config.database());
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE \"" + config.database().replace("\"", "") + "\"");
            }
        } catch (SQLException e) {
            throw new EmbeddedPostgresException("cannot create database " + config.database() + ": " + e.getMessage(), e);
        }
    }

    private String pgCtl(String... args) {
        List<String> command = Commands.concat(account.commandPrefix(), bin.resolve("pg_ctl").toString(), "-D", dataDir.toString());
        command.addAll(List.of(args));
        return Commands.run(command, 120);
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
