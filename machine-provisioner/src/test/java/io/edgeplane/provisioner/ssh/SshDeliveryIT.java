package io.edgeplane.provisioner.ssh;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.edgeplane.provisioner.ssh.SshDeliveryException.Reason;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.HostCommand;
import io.edgeplane.testbed.device.HostTool;
import io.edgeplane.testbed.TestBedHost;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Deliveries to real device sandboxes, each with its own sshd and host key. Device {@code plain} is
 * as the test bed makes it (root with the run's key); device {@code tuned} also lets a sudoer and a
 * user without sudo log in with passwords and has a second (ECDSA) host key.
 */
class SshDeliveryIT {
    private static final SshPolicy POLICY = new SshPolicy(Duration.ofSeconds(5), Duration.ofSeconds(60), 3, Duration.ofMillis(200));
    private static final String SUDOER = "edgeops";
    private static final String SUDOER_PASSWORD = "Sudo-pw-4711";
    private static final String PLAIN_USER = "visitor";
    private static final String PLAIN_USER_PASSWORD = "Visit-pw-0815";
    private static Device plain;
    private static Device tuned;
    private static String tunedEcdsaFingerprint;
    private static SshCredential.PrivateKey rootKey;
    private static SshDelivery delivery;
    private static final List<String> CAPTURED_LOGGERS = List.of("org.apache.sshd", "io.edgeplane");

    @BeforeAll
    static void devices() throws Exception {
        quietSshdLogging();
        TestBedHost.ensurePackages(); // sudo, for the users of device tuned
        plain = Device.create("ssh-it-plain");
        tuned = Device.create("ssh-it-tuned");
        rootKey = new SshCredential.PrivateKey(Files.readString(plain.sshPrivateKey()), null);
        tunedEcdsaFingerprint = tune(tuned);
        delivery = new SshDelivery(POLICY);
    }

    @AfterAll
    static void close() {
        if (delivery != null) {
            delivery.close();
        }
        if (tuned != null) {
            tuned.close();
        }
        if (plain != null) {
            plain.close();
        }
    }

    @Test
    void keyAuthAsRootRunsTheScriptWithItsArgumentsAndStreamsStdoutAndStderr() throws Exception {
        List<String> output = lines();
        String script = """
                #!/usr/bin/env bash
                set -euo pipefail
                echo "user=$(id -u) host=$(hostname) args=$#"
                for arg in "$@"; do echo "arg=[$arg]"; done
                echo "to stderr" >&2
                printf 'last line without newline'
                exit 3
                """;

        int exitCode = delivery.run(pinned(plain), script, List.of("one two", "it's", "$(touch /root/injected)"), Set.of(),
                output::add);

        assertThat(exitCode).isEqualTo(3);
        assertThat(output).containsExactlyInAnyOrder("user=0 host=ssh-it-plain args=3", "arg=[one two]", "arg=[it's]",
                "arg=[$(touch /root/injected)]", "to stderr", "last line without newline");
        assertThat(output.subList(0, 4)).as("stdout in order").containsExactly("user=0 host=ssh-it-plain args=3",
                "arg=[one two]", "arg=[it's]", "arg=[$(touch /root/injected)]");
        assertThat(plain.hostPath("/root/injected")).doesNotExist();
    }

    @Test
    void aTrivialScriptIsDeliveredQuickly() throws Exception {
        try (SshDelivery fresh = new SshDelivery(POLICY)) {
            long started = System.nanoTime();
            assertThat(fresh.run(pinned(plain), "true\n", List.of(), Set.of(), line -> { })).isZero();
            long first = System.nanoTime() - started;
            List<Long> next = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                started = System.nanoTime();
                assertThat(fresh.run(pinned(plain), "true\n", List.of(), Set.of(), line -> { })).isZero();
                next.add(System.nanoTime() - started);
            }
            Collections.sort(next);
            System.out.printf("ssh delivery of a trivial script: %d ms first (client start), median %d ms of 5 more%n",
                    first / 1_000_000, next.get(2) / 1_000_000);
            assertThat(Duration.ofNanos(next.get(2))).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aWrongPinnedFingerprintIsRefusedBeforeAuthenticationAndNothingRuns() throws Exception {
        Path marker = plain.hostPath("/root/delivered-marker");
        SshTarget target = SshTarget.pinned(plain.address(), Device.SSH_PORT, "root", tuned.hostKeyFingerprint(), rootKey);
        int sshdLogLines = sshdLog(plain).size();

        long started = System.nanoTime();
        SshDeliveryException refused = failure(() -> delivery.run(target, "touch /root/delivered-marker\n",
                List.of(), Set.of(), line -> { }));

        assertThat(refused.reason()).isEqualTo(Reason.HOST_KEY_MISMATCH);
        assertThat(refused.expectedFingerprint()).isEqualTo(tuned.hostKeyFingerprint());
        assertThat(refused.presentedFingerprint()).isEqualTo(plain.hostKeyFingerprint());
        assertThat(refused.getMessage()).contains(plain.hostKeyFingerprint(), tuned.hostKeyFingerprint());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not retried").isLessThan(POLICY.connectTimeout());
        assertThat(marker).doesNotExist();
        // The device's sshd saw the client leave during key exchange: no login attempt, neither accepted nor failed.
        List<String> seen = awaitSshdLog(plain, sshdLogLines, "[preauth]", Duration.ofSeconds(5));
        assertThat(seen).anyMatch(line -> line.contains("[preauth]"))
                .noneMatch(line -> line.contains("Accepted") || line.contains("Failed") || line.contains("Invalid"));
    }

    @Test
    void knownHostsLinesPinTheHostKeyPlainOrHashed() throws Exception {
        String knownHosts = """
                # devices of this test
                %s %s
                %s %s
                """.formatted(tuned.address(), tuned.hostPublicKey(), plain.address(), plain.hostPublicKey());
        String hashed = hashed(knownHosts);
        assertThat(hashed).doesNotContain(plain.address());

        for (String lines : List.of(knownHosts, hashed)) {
            List<String> output = lines();
            SshTarget target = SshTarget.withKnownHosts(plain.address(), Device.SSH_PORT, "root", lines, rootKey);
            assertThat(SshTargets.problems(target)).isEmpty();
            assertThat(delivery.run(target, "hostname\n", List.of(), Set.of(), output::add)).isZero();
            assertThat(output).containsExactly("ssh-it-plain");
        }

        SshTarget wrongKey = SshTarget.withKnownHosts(plain.address(), Device.SSH_PORT, "root",
                plain.address() + " " + tuned.hostPublicKey() + "\n", rootKey);
        SshDeliveryException refused = failure(() -> delivery.run(wrongKey, "touch /root/known-hosts-marker\n",
                List.of(), Set.of(), line -> { }));
        assertThat(refused.reason()).isEqualTo(Reason.HOST_KEY_MISMATCH);
        assertThat(refused.expectedFingerprint()).isEqualTo(tuned.hostKeyFingerprint());
        assertThat(refused.presentedFingerprint()).isEqualTo(plain.hostKeyFingerprint());
        assertThat(plain.hostPath("/root/known-hosts-marker")).doesNotExist();
    }

    @Test
    void aPinnedFingerprintOfTheDevicesOtherHostKeyIsFound() throws Exception {
        List<String> output = lines();

        int exitCode = delivery.run(SshTarget.pinned(tuned.address(), Device.SSH_PORT, "root", tunedEcdsaFingerprint, rootKey),
                "echo via-ecdsa-pin\n", List.of(), Set.of(), output::add);

        assertThat(exitCode).isZero();
        assertThat(output).containsExactly("via-ecdsa-pin");
    }

    @Test
    void passwordAuthForAUserWithSudoRunsTheScriptAsRoot() throws Exception {
        List<String> output = lines();
        SshTarget target = SshTarget.pinned(tuned.address(), Device.SSH_PORT, SUDOER, tuned.hostKeyFingerprint(),
                new SshCredential.Password(SUDOER_PASSWORD));

        int exitCode = delivery.run(target, "echo \"uid=$(id -u) via=${SUDO_USER:-none} arg=$1\"\n", List.of("x"), Set.of(),
                output::add);

        assertThat(exitCode).isZero();
        assertThat(output).containsExactly("uid=0 via=" + SUDOER + " arg=x");
    }

    @Test
    void aUserWithoutSudoGetsSudosRefusalNotAPrompt() throws Exception {
        List<String> output = lines();
        SshTarget target = SshTarget.pinned(tuned.address(), Device.SSH_PORT, PLAIN_USER, tuned.hostKeyFingerprint(),
                new SshCredential.Password(PLAIN_USER_PASSWORD));

        int exitCode = delivery.run(target, "touch /root/visitor-marker\n", List.of(), Set.of(), output::add);

        assertThat(exitCode).isEqualTo(1);
        assertThat(String.join("\n", output)).contains("sudo");
        assertThat(tuned.hostPath("/root/visitor-marker")).doesNotExist();
    }

    @Test
    void aWrongPasswordOrAnUnknownKeyFailsAuthenticationWithoutRetries() throws Exception {
        SshTarget wrongPassword = SshTarget.pinned(tuned.address(), Device.SSH_PORT, SUDOER, tuned.hostKeyFingerprint(),
                new SshCredential.Password("not-" + SUDOER_PASSWORD));
        SshTarget unknownKey = pinned(plain, new SshCredential.PrivateKey(TestKeys.openSsh(TestKeys.ed25519(), null), null));

        for (SshTarget target : List.of(wrongPassword, unknownKey)) {
            long started = System.nanoTime();
            SshDeliveryException refused = failure(() -> delivery.run(target, "touch /root/auth-marker\n",
                    List.of(), Set.of(), line -> { }));
            assertThat(refused.reason()).as(target.toString()).isEqualTo(Reason.AUTHENTICATION_FAILED);
            assertThat(refused.getMessage()).doesNotContain(SUDOER_PASSWORD);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not retried").isLessThan(POLICY.connectTimeout());
        }
        assertThat(plain.hostPath("/root/auth-marker")).doesNotExist();
        assertThat(tuned.hostPath("/root/auth-marker")).doesNotExist();
    }

    @Test
    void aCutOffDeviceIsUnreachableAfterTheBoundedRetries() throws Exception {
        SshPolicy policy = new SshPolicy(Duration.ofSeconds(2), Duration.ofSeconds(30), 3, Duration.ofMillis(300));
        try (Device device = Device.create("ssh-it-cut"); SshDelivery impatient = new SshDelivery(policy)) {
            device.cutOff();
            long started = System.nanoTime();

            SshDeliveryException unreachable = failure(() -> impatient.run(pinned(device), "touch /root/cut-marker\n",
                    List.of(), Set.of(), line -> { }));

            Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("ssh delivery to a cut-off device: UNREACHABLE after %d ms (3 attempts)%n", took.toMillis());
            assertThat(unreachable.reason()).isEqualTo(Reason.UNREACHABLE);
            assertThat(unreachable.getMessage()).contains("after 3 attempts");
            assertThat(took).as("two pauses of 300 and 600 ms between the attempts").isGreaterThan(Duration.ofMillis(900));
            assertThat(took).as("three attempts of at most 2 s each, and the pauses").isLessThan(Duration.ofSeconds(9));
            assertThat(device.hostPath("/root/cut-marker")).doesNotExist();

            device.reconnect();
            List<String> output = lines();
            assertThat(impatient.run(pinned(device), "hostname\n", List.of(), Set.of(), output::add)).isZero();
            assertThat(output).containsExactly("ssh-it-cut");
        }
    }

    @Test
    void aConnectionLostWhileTheScriptRunsIsReportedAndNotRetried() throws Exception {
        try (Device device = Device.create("ssh-it-power")) {
            List<String> output = lines();
            CountDownLatch started = new CountDownLatch(1);
            Consumer<String> lines = line -> {
                output.add(line);
                started.countDown();
            };
            ExecutorService runner = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> run = runner.submit(() -> delivery.run(pinned(device), "echo started\nsleep 30\n", List.of(),
                        Set.of(), lines));
                assertThat(started.await(20, TimeUnit.SECONDS)).as("the script started").isTrue();
                long cut = System.nanoTime();
                device.kill(); // a power cut: sshd dies with the script, the kernel closes the connection

                Throwable failure = catchThrowable(() -> run.get(30, TimeUnit.SECONDS)).getCause();

                assertThat(failure).isInstanceOf(SshDeliveryException.class);
                SshDeliveryException lost = (SshDeliveryException) failure;
                assertThat(lost.reason()).isEqualTo(Reason.UNREACHABLE);
                assertThat(lost.getMessage()).contains("connection lost", "may have run in part");
                assertThat(Duration.ofNanos(System.nanoTime() - cut)).as("no further attempt").isLessThan(POLICY.connectTimeout());
                assertThat(output).containsExactly("started");
            } finally {
                runner.shutdownNow();
            }
        }
    }

    @Test
    void aHungScriptIsKilledWithItsChildrenAndReportedAsTimeout() throws Exception {
        SshPolicy policy = new SshPolicy(Duration.ofSeconds(5), Duration.ofSeconds(2), 3, Duration.ofMillis(200));
        List<String> output = lines();
        try (SshDelivery hasty = new SshDelivery(policy)) {
            long started = System.nanoTime();

            SshDeliveryException timedOut = failure(() -> hasty.run(pinned(plain), "echo started\nsleep 321\necho never\n",
                    List.of(), Set.of(), output::add));

            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(timedOut.reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(8));
        }
        assertThat(output).containsExactly("started");
        assertThat(awaitGone(plain, "sleep 321", Duration.ofSeconds(5))).as("the script's child on the device").isTrue();
    }

    @Test
    void secretsNeverReachTheOutputNorAnyLogLine() throws Exception {
        String token = "abcdef.0123456789abcdef";
        List<String> output = lines();
        ListAppender<ILoggingEvent> logs = captureAllLogs();
        try {
            SshTarget target = SshTarget.pinned(tuned.address(), Device.SSH_PORT, SUDOER, tuned.hostKeyFingerprint(),
                    new SshCredential.Password(SUDOER_PASSWORD));
            String script = """
                    TOKEN=%s
                    echo "token=$TOKEN"
                    echo "arg=$1" >&2
                    echo "password=%s"
                    printf 'tail %%s' "$TOKEN"
                    """.formatted(token, SUDOER_PASSWORD);

            assertThat(delivery.run(target, script, List.of(token), Set.of(token), output::add)).isZero();
        } finally {
            stopCapture(logs);
        }

        assertThat(output).containsExactlyInAnyOrder("token=***", "arg=***", "password=***", "tail ***");
        assertThat(logs.list).isNotEmpty().allSatisfy(event -> {
            assertThat(event.getFormattedMessage()).doesNotContain(token).doesNotContain(SUDOER_PASSWORD);
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(token).doesNotContain(SUDOER_PASSWORD);
            }
        });
    }

    @Test
    void concurrentDeliveriesShareTheClientAndKeepTheirOutputApart() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Device device = i % 2 == 0 ? plain : tuned;
                String id = Integer.toString(i);
                runs.add(pool.submit(() -> {
                    List<String> output = lines();
                    int exitCode = delivery.run(pinned(device), "echo \"start-$1\"; sleep 0.3; echo \"end-$1 $(hostname)\"\n",
                            List.of(id), Set.of(), output::add);
                    assertThat(exitCode).isZero();
                    return output;
                }));
            }
            for (int i = 0; i < runs.size(); i++) {
                String host = i % 2 == 0 ? "ssh-it-plain" : "ssh-it-tuned";
                assertThat(runs.get(i).get(60, TimeUnit.SECONDS)).containsExactly("start-" + i, "end-" + i + " " + host);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTargetMadeFromTheDevicesOwnFactsValidates() {
        SshTarget target = pinned(plain);

        assertThat(SshTargets.problems(target)).isEmpty();
        assertThatThrownBy(() -> SshTarget.pinned(plain.address(), 22, "root", null, rootKey))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static SshDeliveryException failure(ThrowingCallable delivery) {
        SshDeliveryException failure = catchThrowableOfType(SshDeliveryException.class, delivery);
        assertThat(failure).as("the delivery fails").isNotNull();
        return failure;
    }

    private static SshTarget pinned(Device device) {
        return pinned(device, rootKey);
    }

    private static SshTarget pinned(Device device, SshCredential credential) {
        return SshTarget.pinned(device.address(), Device.SSH_PORT, "root", device.hostKeyFingerprint(), credential);
    }

    private static List<String> lines() {
        return Collections.synchronizedList(new ArrayList<>());
    }

    /**
     * A sudoer and a user without sudo who log in with passwords, and a second host key, ECDSA: the
     * device's own /etc and sshd only. Returns the ECDSA key's fingerprint as ssh-keygen prints it.
     */
    private static String tune(Device device) throws Exception {
        for (String[] user : new String[][]{{SUDOER, SUDOER_PASSWORD}, {PLAIN_USER, PLAIN_USER_PASSWORD}}) {
            device.exec("useradd", "--create-home", "--shell", "/bin/bash", user[0]).orThrow();
            device.exec("bash", "-c", "echo \"$1:$2\" | chpasswd", "set-password", user[0], user[1]).orThrow();
        }
        device.exec("bash", "-c", "echo \"$1 ALL=(ALL) NOPASSWD: ALL\" > /etc/sudoers.d/edgeplane-it "
                + "&& chmod 0440 /etc/sudoers.d/edgeplane-it", "sudoers", SUDOER).orThrow();
        device.exec("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", "/etc/ssh/ssh_host_ecdsa_key").orThrow();
        Files.writeString(device.hostPath("/etc/ssh/sshd_config.d/edgeplane-it.conf"),
                "PasswordAuthentication yes\nHostKey /etc/ssh/ssh_host_ecdsa_key\n");
        // sshd re-executes itself on SIGHUP and reads its configuration again.
        device.exec("bash", "-c", "kill -HUP \"$(cat /run/sshd.pid)\"").orThrow();
        awaitEcdsaHostKey(device, Duration.ofSeconds(10));
        String printed = HostCommand.check(HostTool.SSH_KEYGEN.path(), "-lf",
                device.hostPath("/etc/ssh/ssh_host_ecdsa_key.pub").toString()).stdout();
        return printed.split(" ")[1];
    }

    /** Until the reloaded sshd offers the ECDSA key, as ssh-keyscan sees it. */
    private static void awaitEcdsaHostKey(Device device, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (acceptsConnections(device)) {
                CommandResult scan = HostCommand.run(List.of("ssh-keyscan", "-T", "2", "-t", "ecdsa", device.address()),
                        Duration.ofSeconds(5));
                if (scan.stdout().contains("ecdsa-sha2-nistp256")) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("sshd of " + device + " does not offer its ECDSA key after a reload within " + timeout);
    }

    private static boolean acceptsConnections(Device device) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(device.address(), Device.SSH_PORT), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** The known_hosts text with every host name hashed, by ssh-keygen -H. */
    private static String hashed(String knownHosts) throws IOException {
        Path file = Files.createTempFile("known_hosts", "");
        try {
            Files.writeString(file, knownHosts);
            HostCommand.check(HostTool.SSH_KEYGEN.path(), "-H", "-f", file.toString());
            return Files.readString(file);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(Path.of(file + ".old"));
        }
    }

    /** sshd's own log on the device (it runs with -e, logging to stderr). */
    private static List<String> sshdLog(Device device) throws IOException {
        return Files.readAllLines(device.dir().resolve("logs").resolve("sshd.log"));
    }

    /** The sshd log lines after the first {@code skip}, once one contains {@code text} (or the timeout passed). */
    private static List<String> awaitSshdLog(Device device, int skip, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> lines = sshdLog(device);
        while (lines.subList(skip, lines.size()).stream().noneMatch(line -> line.contains(text)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            lines = sshdLog(device);
        }
        return lines.subList(skip, lines.size());
    }

    private static boolean awaitGone(Device device, String commandLine, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (device.exec("pgrep", "-f", commandLine).exitCode() == 1) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** The module has no logback-test.xml of its own: SSHD's debug logging would drown the test output. */
    private static void quietSshdLogging() {
        ((Logger) LoggerFactory.getLogger("org.apache.sshd")).setLevel(Level.INFO);
    }

    /**
     * Every event of this package and SSHD down to DEBUG, kept off the console until {@link #stopCapture}.
     * Not TRACE: at TRACE, SSHD dumps every packet, decrypted, and with it the script and the output.
     */
    private static ListAppender<ILoggingEvent> captureAllLogs() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        for (String name : CAPTURED_LOGGERS) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            logger.addAppender(appender);
            logger.setLevel(Level.DEBUG);
            logger.setAdditive(false);
        }
        return appender;
    }

    private static void stopCapture(ListAppender<ILoggingEvent> appender) {
        for (String name : CAPTURED_LOGGERS) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            logger.detachAppender(appender);
            logger.setAdditive(true);
            logger.setLevel(null);
        }
        quietSshdLogging();
        appender.stop();
    }
}
