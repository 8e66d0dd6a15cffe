package io.edgeplane.seedmanager.api;

import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Field paths name the request's fields, not the Java method and argument that received them. */
class ConstraintViolationHandlerTest {

    @Test
    void aBodyPropertyLosesTheMethodAndArgumentNames() {
        assertThat(ConstraintViolationHandler.fieldPath(path(
                node("create", ElementKind.METHOD), node("body", ElementKind.PARAMETER),
                node("nodeHealth", ElementKind.PROPERTY), node("gracePeriodSeconds", ElementKind.PROPERTY))))
                .isEqualTo("nodeHealth.gracePeriodSeconds");
    }

    @Test
    void listElementsCarryTheirIndexAndMapValuesTheirKey() {
        assertThat(ConstraintViolationHandler.fieldPath(path(
                node("deploy", ElementKind.METHOD), node("body", ElementKind.PARAMETER),
                node("workloads", ElementKind.PROPERTY), indexed("name", ElementKind.PROPERTY, 0))))
                .isEqualTo("workloads[0].name");
        assertThat(ConstraintViolationHandler.fieldPath(path(
                node("create", ElementKind.METHOD), node("body", ElementKind.PARAMETER),
                node("names", ElementKind.PROPERTY), indexed("<list element>", ElementKind.CONTAINER_ELEMENT, 2))))
                .isEqualTo("names[2]");
        assertThat(ConstraintViolationHandler.fieldPath(path(
                node("create", ElementKind.METHOD), node("body", ElementKind.PARAMETER),
                node("labels", ElementKind.PROPERTY), keyed("<map value>", ElementKind.CONTAINER_ELEMENT, "zone"))))
                .isEqualTo("labels.zone");
    }

    @Test
    void aQueryParameterKeepsItsName() {
        assertThat(ConstraintViolationHandler.fieldPath(path(node("list", ElementKind.METHOD), node("limit", ElementKind.PARAMETER))))
                .isEqualTo("limit");
    }

    private static Path path(Path.Node... nodes) {
        return new Path() {
            @Override
            public Iterator<Node> iterator() {
                return List.of(nodes).iterator();
            }
        };
    }

    private static Path.Node node(String name, ElementKind kind) {
        return new FakeNode(name, kind, false, null, null);
    }

    private static Path.Node indexed(String name, ElementKind kind, int index) {
        return new FakeNode(name, kind, true, index, null);
    }

    private static Path.Node keyed(String name, ElementKind kind, Object key) {
        return new FakeNode(name, kind, true, null, key);
    }

    private record FakeNode(String name, ElementKind kind, boolean inIterable, Integer index, Object key) implements Path.Node {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isInIterable() {
            return inIterable;
        }

        @Override
        public Integer getIndex() {
            return index;
        }

        @Override
        public Object getKey() {
            return key;
        }

        @Override
        public ElementKind getKind() {
            return kind;
        }

        @Override
        public <T extends Path.Node> T as(Class<T> nodeType) {
            return nodeType.cast(this);
        }
    }
}
