package io.edgeplane.testbed;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

/**
 * CoreDNS as the seed cluster's DNS (test bed only: real seed clusters bring their own), a host
 * process answering on the node address, port 53, for {@code cluster.local} from the API (Services,
 * headless Services' pods, pod addresses). Nothing is forwarded: the test bed has no upstream.
 */
public final class ClusterDns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDns.class);
    private static final String USER = "edgeplane-testbed:cluster-dns";

    private final String address;
    private final ManagedProcess process;

    private ClusterDns(String address, ManagedProcess process) {
        this.address = address;
        this.process = process;
    }

    static ClusterDns start(Path binary, ApiServer api, Path dir, String address) {
        allowWatching(api);
        ApiServer.write(dir.resolve("coredns.kubeconfig"), api.kubeconfigFor(USER, List.of()));
        ApiServer.write(dir.resolve("Corefile"), String.join("\n",
                ".:53 {",
                "    bind " + address,
                "    errors",
                "    health 127.0.0.1:" + Ports.free(),
                "    ready 127.0.0.1:" + Ports.free(),
                "    kubernetes cluster.local in-addr.arpa ip6.arpa {",
                "        kubeconfig " + dir.resolve("coredns.kubeconfig"),
                "        pods insecure",
                "    }",
                // Short: a name looked up before its Service exists is not denied for long.
                "    cache 5",
                "}",
                ""));
        ManagedProcess process = ManagedProcess.start("coredns", List.of(binary.toString(),
                "-conf", dir.resolve("Corefile").toString()), dir.resolve("coredns.log"), Map.of());
        return new ClusterDns(address, process);
    }

    /** Waits until the {@code kubernetes} Service resolves, i.e. CoreDNS serves and has read the API. */
    void awaitAnswering(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("coredns exited:\n" + process.logTail(30));
            }
            try {
                if (!lookup("kubernetes.default.svc.cluster.local").isEmpty()) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                last = notYet.getMessage();
            }
            ApiServer.sleep(200);
        }
        throw new IllegalStateException("cluster DNS at " + address + " not answering after " + timeout.toSeconds() + " s ("
                + last + "):\n" + process.logTail(30));
    }

    /** The address pods send their queries to (UDP and TCP port 53). */
    public String address() {
        return address;
    }

    /** The A records of {@code name} (fully qualified, e.g. {@code etcd-0.etcd.ns.svc.cluster.local}); empty if none. */
    public List<String> lookup(String name) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", "dns://" + address);
        env.put("com.sun.jndi.dns.timeout.initial", "1000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        try {
            InitialDirContext context = new InitialDirContext(env);
            try {
                Attribute records = context.getAttributes(name, new String[] {"A"}).get("A");
                List<String> addresses = new ArrayList<>();
                if (records != null) {
                    NamingEnumeration<?> values = records.getAll();
                    while (values.hasMore()) {
                        addresses.add(values.next().toString());
                    }
                }
                return addresses;
            } finally {
                context.close();
            }
        } catch (javax.naming.NameNotFoundException unknown) {
            return List.of();
        } catch (NamingException e) {
            throw new IllegalStateException("DNS query for " + name + " at " + address + " failed: " + e, e);
        }
    }

    @Override
    public void close() {
        process.stop();
    }

    /** What CoreDNS's kubernetes plugin lists and watches (as upstream's system:coredns role). */
    private static void allowWatching(ApiServer api) {
        String name = "edgeplane-testbed:cluster-dns";
        api.client().rbac().clusterRoles().resource(new ClusterRoleBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .addNewRule().withApiGroups("").withResources("endpoints", "services", "pods", "namespaces")
                .withVerbs("list", "watch").endRule()
                .addNewRule().withApiGroups("discovery.k8s.io").withResources("endpointslices")
                .withVerbs("list", "watch").endRule()
                .build()).serverSideApply();
        api.client().rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(name).endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(USER).endSubject()
                .build()).serverSideApply();
        LOG.debug("cluster DNS may watch the API as {}", USER);
    }
}
