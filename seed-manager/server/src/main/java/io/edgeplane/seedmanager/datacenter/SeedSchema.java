package io.edgeplane.seedmanager.datacenter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The Seed JSON Schema shipped by the datacenters module. Loaded from the classpath so the seed
 * manager validates against the very file operators read as the field reference.
 */
final class SeedSchema {

    static final String RESOURCE = "edgeplane/datacenters/seed.schema.json";

    private final JsonSchema schema;
    private final SchemaMessageTranslator translator;

    private SeedSchema(JsonNode schemaJson) {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .build();
        this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaJson, config);
        this.translator = new SchemaMessageTranslator(schemaJson);
    }

    static SeedSchema fromClasspath() {
        try (InputStream in = SeedSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath; is edgeplane-datacenters a dependency?");
            }
            return new SeedSchema(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    void validate(JsonNode document, ProblemList problems) {
        for (ValidationMessage message : schema.validate(document)) {
            translator.translate(message, problems);
        }
    }
}
