package io.edgeplane.seedmanager.cluster.controlplane;

import io.edgeplane.seedmanager.cluster.controlplane.pods.PodsRuntime;
import io.edgeplane.seedmanager.cluster.controlplane.process.ProcessRuntime;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The runtime interface says what every runtime does, and each runtime lives in the package named after it. */
class ControlPlaneRuntimeContractTest {
    private static final List<Class<? extends ControlPlaneRuntime>> RUNTIMES = List.of(PodsRuntime.class, ProcessRuntime.class);

    @Test
    void everyRuntimeImplementsEveryMethodAndNoneIsOptional() throws Exception {
        List<Method> methods = Arrays.stream(ControlPlaneRuntime.class.getDeclaredMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers())).toList();
        assertThat(methods).isNotEmpty().noneMatch(Method::isDefault);
        for (Class<? extends ControlPlaneRuntime> runtime : RUNTIMES) {
            for (Method method : methods) {
                assertThat(runtime.getDeclaredMethod(method.getName(), method.getParameterTypes()))
                        .as(runtime.getSimpleName() + " implements " + method.getName()).isNotNull();
            }
        }
    }

    @Test
    void runtimesLiveInThePackageNamedAfterThem() {
        assertThat(PodsRuntime.class.getPackageName()).isEqualTo(ControlPlaneRuntime.class.getPackageName() + ".pods");
        assertThat(ProcessRuntime.class.getPackageName()).isEqualTo(ControlPlaneRuntime.class.getPackageName() + ".process");
    }
}
