package io.edgeplane.seedmanager.workload;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.http.HttpConnectTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadReconcilerTest {

    @Test
    void anApiserverThatDoesNotAnswerIsUnreachable() {
        assertThat(WorkloadReconciler.controlPlaneUnreachable(new KubernetesClientException("x", new ConnectException("refused")))).isTrue();
        assertThat(WorkloadReconciler.controlPlaneUnreachable(new KubernetesClientException("x", new NoRouteToHostException("gone")))).isTrue();
        assertThat(WorkloadReconciler.controlPlaneUnreachable(new KubernetesClientException("x", new HttpConnectTimeoutException("slow"))))
                .isTrue();
    }

    @Test
    void anApiserverThatAnswersWithAnErrorOrABrokenRowIsNot() {
        assertThat(WorkloadReconciler.controlPlaneUnreachable(new KubernetesClientException("Forbidden", 403, null))).isFalse();
        assertThat(WorkloadReconciler.controlPlaneUnreachable(new UncheckedIOException(new IOException("bad json")))).isFalse();
        assertThat(WorkloadReconciler.controlPlaneUnreachable(new IllegalStateException("cluster is gone"))).isFalse();
    }
}
