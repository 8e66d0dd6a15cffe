package io.edgeplane.seedmanager.datacenter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The schema is the field reference operators read, so it is held to that standard. */
class SeedSchemaTest {

    @Test
    void everyPropertyIsDescribedAndEveryObjectIsClosed() throws Exception {
        JsonNode schema;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(SeedSchema.RESOURCE)) {
            schema = new ObjectMapper().readTree(in);
        }
        List<String> faults = new ArrayList<>();

        walk(schema, "#", faults);

        assertThat(faults).isEmpty();
    }

    private static void walk(JsonNode node, String where, List<String> faults) {
        if (!node.isObject()) {
            return;
        }
        if (node.has("properties")) {
            JsonNode additional = node.path("additionalProperties");
            if (!additional.isBoolean() || additional.asBoolean()) {
                faults.add(where + ": additionalProperties must be false");
            }
            for (Map.Entry<String, JsonNode> property : node.get("properties").properties()) {
                if (!property.getValue().hasNonNull("description")) {
                    faults.add(where + "/properties/" + property.getKey() + ": no description");
                }
            }
        }
        for (Map.Entry<String, JsonNode> child : node.properties()) {
            walk(child.getValue(), where + "/" + child.getKey(), faults);
        }
    }
}
