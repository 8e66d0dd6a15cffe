package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;

/** The Deployment around a stateless component's pod template. */
final class ComponentDeployment {
    private ComponentDeployment() {
    }

    /** Two replicas when highly available, else one. */
    static int replicas(ControlPlaneSpec spec) {
        return spec.highlyAvailable() ? 2 : 1;
    }

    static Deployment build(ControlPlaneSpec spec, Component component, DeploymentStrategy strategy,
                            PodTemplateSpec template) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(component.id())
                .withNamespace(spec.namespace())
                .withLabels(ControlPlaneLabels.component(spec, component))
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas(spec))
                .withNewSelector().withMatchLabels(ControlPlaneLabels.selector(spec, component)).endSelector()
                .withStrategy(strategy)
                .withTemplate(template)
                .endSpec()
                .build();
    }

    /** The new pod is ready before the old one goes: the apiserver stays reachable through a rollout. */
    static DeploymentStrategy surgeFirst() {
        return new DeploymentStrategyBuilder()
                .withType("RollingUpdate")
                .withNewRollingUpdate().withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1)).endRollingUpdate()
                .build();
    }

    /**
     * For components that elect a leader only when replicated: without election two instances must
     * never overlap (two controller-managers would fight over every object), so the old pod goes first.
     */
    static DeploymentStrategy singleWriter(ControlPlaneSpec spec) {
        return spec.highlyAvailable() ? surgeFirst() : new DeploymentStrategyBuilder().withType("Recreate").build();
    }
}
