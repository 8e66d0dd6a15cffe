package io.edgeplane.e2e;

import io.edgeplane.testbed.TestPki;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An admission webhook and an aggregated API served by a pod on a device: the apiserver calls them
 * at the pod's address (aggregator routing), which the tunnel routes to the device's agent. hello-http
 * with a serving certificate is both (e2e/testbed/images/hello-http/webhook.go).
 */
final class DeviceServedApis {
    private static final String NAME = "hello-webhook";
    private static final String LABEL = "edgeplane.io/e2e-webhook";
    private static final String GROUP = "hello.edgeplane.io";
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private DeviceServedApis() {
    }

    /** Runs the server on {@code node}, registers both, proves each answers from there, and removes them again. */
    static void prove(KubernetesClient tenant, String image, String node) throws InterruptedException {
        TestPki.Credential ca = TestPki.authority("hello-webhook-ca");
        TestPki.Credential serving = TestPki.leaf(ca, NAME, List.of(),
                List.of(NAME + ".default.svc", NAME + ".default.svc.cluster.local"), true, false);
        String caBundle = base64(ca.certificatePem());
        tenant.secrets().inNamespace("default").resource(new SecretBuilder()
                .withNewMetadata().withName(NAME).endMetadata()
                .withType("kubernetes.io/tls")
                .addToData("tls.crt", base64(serving.certificatePem()))
                .addToData("tls.key", base64(serving.privateKeyPem()))
                .build()).create();
        tenant.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName(NAME).withLabels(Map.of("app", NAME)).endMetadata()
                .withNewSpec().withNodeName(node).withAutomountServiceAccountToken(false)
                .addNewContainer().withName("server").withImage(image)
                .addNewEnv().withName("PORT").withValue("8443").endEnv()
                .addNewEnv().withName("TLS_CERT_FILE").withValue("/tls/tls.crt").endEnv()
                .addNewEnv().withName("TLS_KEY_FILE").withValue("/tls/tls.key").endEnv()
                .addNewVolumeMount().withName("tls").withMountPath("/tls").withReadOnly(true).endVolumeMount()
                .endContainer()
                .addNewVolume().withName("tls").withNewSecret().withSecretName(NAME).endSecret().endVolume()
                .endSpec().build()).create();
        tenant.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName(NAME).endMetadata()
                .withNewSpec().withSelector(Map.of("app", NAME))
                .addNewPort().withPort(443).withTargetPort(new IntOrString(8443)).endPort().endSpec().build()).create();
        ClusterServicesE2E.awaitRunning(tenant, "default", NAME);

        long started = System.nanoTime();
        tenant.admissionRegistration().v1().validatingWebhookConfigurations().resource(new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata().withName(NAME).endMetadata()
                .addNewWebhook().withName("validate.hello.edgeplane.io")
                .withNewClientConfig().withCaBundle(caBundle)
                .withNewService().withNamespace("default").withName(NAME).withPort(443).withPath("/validate").endService()
                .endClientConfig()
                .addNewRule().withApiGroups("").withApiVersions("v1").withOperations("CREATE").withResources("configmaps").endRule()
                .withNewObjectSelector().withMatchLabels(Map.of(LABEL, "true")).endObjectSelector()
                .withFailurePolicy("Fail").withSideEffects("None").withAdmissionReviewVersions("v1").withTimeoutSeconds(10)
                .endWebhook().build()).create();
        String denial = awaitDenial(tenant);
        assertThat(denial).as("the webhook on the device answered").contains("denied by hello-http on " + NAME);
        System.out.printf("e2e: an admission webhook served by a pod on the device denies in %d ms%n", millisSince(started));
        tenant.configMaps().inNamespace("default").resource(labelled("allowed-by-webhook")).create();

        started = System.nanoTime();
        tenant.resource("""
                apiVersion: apiregistration.k8s.io/v1
                kind: APIService
                metadata: {name: v1.%s}
                spec:
                  group: %s
                  version: v1
                  groupPriorityMinimum: 1000
                  versionPriority: 15
                  caBundle: %s
                  service: {namespace: default, name: %s, port: 443}
                """.formatted(GROUP, GROUP, caBundle, NAME)).create();
        String greeting = awaitAggregated(tenant);
        assertThat(greeting).as("the aggregated API on the device answered").contains("hello from " + NAME);
        System.out.printf("e2e: an aggregated API served by a pod on the device answers in %d ms%n", millisSince(started));

        // A registered API or webhook whose server is out of reach would fail discovery or admission later.
        tenant.genericKubernetesResources("apiregistration.k8s.io/v1", "APIService").withName("v1." + GROUP).delete();
        tenant.admissionRegistration().v1().validatingWebhookConfigurations().withName(NAME).delete();
        tenant.services().inNamespace("default").withName(NAME).delete();
        tenant.pods().inNamespace("default").withName(NAME).withGracePeriod(0).delete();
    }

    /** The webhook's denial, once the apiserver reaches it (its endpoints take a moment to be known). */
    private static String awaitDenial(KubernetesClient tenant) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                tenant.configMaps().inNamespace("default").resource(labelled("denied-by-webhook")).create();
                throw new AssertionError("the webhook let denied-by-webhook through");
            } catch (KubernetesClientException e) {
                last = e.getMessage();
                if (last.contains("denied by hello-http")) {
                    return last;
                }
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("the webhook never answered within " + PATIENCE + "; last error: " + last);
    }

    private static String awaitAggregated(KubernetesClient tenant) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                String answer = tenant.raw("/apis/" + GROUP + "/v1/greeting");
                if (answer != null && answer.contains("hello from")) {
                    return answer;
                }
                last = String.valueOf(answer);
            } catch (KubernetesClientException e) {
                last = e.getMessage();
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("the aggregated API never answered within " + PATIENCE + "; last: " + last + "; APIService: "
                + tenant.genericKubernetesResources("apiregistration.k8s.io/v1", "APIService").withName("v1." + GROUP).get());
    }

    private static io.fabric8.kubernetes.api.model.ConfigMap labelled(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withLabels(Map.of(LABEL, "true")).endMetadata().build();
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
