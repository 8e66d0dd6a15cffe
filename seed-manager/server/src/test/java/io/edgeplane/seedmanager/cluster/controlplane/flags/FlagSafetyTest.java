package io.edgeplane.seedmanager.cluster.controlplane.flags;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties every command line has, whatever the spec: no plaintext or unauthenticated serving. */
class FlagSafetyTest {

    @Test
    void noBuilderEmitsInsecureServingOrAnonymousAuth() {
        for (ControlPlaneSpec spec : SampleSpecs.variants()) {
            assertThat(allFlags(spec)).allSatisfy(flag -> assertThat(flag)
                    .doesNotContain("insecure")
                    .doesNotStartWith("--insecure-port")
                    .isNotEqualTo("--anonymous-auth=true")
                    .doesNotStartWith("--auto-tls")
                    .doesNotStartWith("--peer-auto-tls"));
        }
    }

    @Test
    void theApiServerVerifiesEveryKubeletItCalls() {
        for (ControlPlaneSpec spec : SampleSpecs.variants()) {
            assertThat(ApiServerFlags.build(spec, SampleSpecs.PROCESS_PKI, SampleSpecs.processApiServer()))
                    .as("without a tunnel").contains("--kubelet-certificate-authority=" + SampleSpecs.PROCESS_PKI.caCert());
            ApiServerEndpoints direct = SampleSpecs.processApiServer();
            ApiServerEndpoints tunnelled = new ApiServerEndpoints(direct.bindAddress(), direct.securePort(), direct.advertiseAddress(),
                    direct.etcdServers(), direct.auditLogPath(), direct.auditPolicyFile(), "/var/lib/edgeplane/egress-selector.yaml",
                    direct.encryptionConfigFile());
            assertThat(ApiServerFlags.build(spec, SampleSpecs.PROCESS_PKI, tunnelled))
                    .as("through the tunnel").contains("--kubelet-certificate-authority=" + SampleSpecs.PROCESS_PKI.caCert());
        }
    }

    @Test
    void theApiServerOffersOnlyStrongCiphersAndIssuesNoYearLongTokens() {
        for (ControlPlaneSpec spec : SampleSpecs.variants()) {
            List<String> flags = ApiServerFlags.build(spec, SampleSpecs.PROCESS_PKI, SampleSpecs.processApiServer());
            assertThat(flags).contains("--service-account-extend-token-expiration=false");
            String suites = flags.stream().filter(f -> f.startsWith("--tls-cipher-suites=")).findFirst().orElseThrow();
            assertThat(suites.substring(suites.indexOf('=') + 1).split(",")).allMatch(s -> s.startsWith("TLS_ECDHE_")
                    && (s.contains("_GCM_") || s.contains("CHACHA20_POLY1305")));
        }
    }

    @Test
    void everyFlagHasTheFormNameEqualsValueAndAppearsOnceInNameOrder() {
        for (ControlPlaneSpec spec : SampleSpecs.variants()) {
            for (List<String> flags : commandLines(spec)) {
                assertThat(flags).allMatch(f -> f.matches("--[a-z0-9-]+=.+"));
                List<String> names = flags.stream().map(f -> f.substring(0, f.indexOf('='))).toList();
                assertThat(names).doesNotHaveDuplicates().isSorted();
            }
        }
    }

    private static List<String> allFlags(ControlPlaneSpec spec) {
        List<String> all = new ArrayList<>();
        commandLines(spec).forEach(all::addAll);
        return all;
    }

    private static List<List<String>> commandLines(ControlPlaneSpec spec) {
        return List.of(
                EtcdFlags.build(spec, SampleSpecs.PROCESS_PKI, SampleSpecs.processEtcd()),
                ApiServerFlags.build(spec, SampleSpecs.PROCESS_PKI, SampleSpecs.processApiServer()),
                ControllerManagerFlags.build(spec, SampleSpecs.PROCESS_PKI, "127.0.0.1", 10257),
                SchedulerFlags.build(spec, SampleSpecs.PROCESS_PKI, "127.0.0.1", 10259));
    }
}
