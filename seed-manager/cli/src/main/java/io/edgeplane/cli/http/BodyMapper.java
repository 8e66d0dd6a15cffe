package io.edgeplane.cli.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.edgeplane.cli.api.RFC3339JavaTimeModule;

/**
 * The generated client's ObjectMapper, configured as the generator configures it, except that a body the operation
 * declares as a string is handed over exactly as it came. The generated code reads every body through the mapper,
 * and the API's text answers (a kubeconfig in YAML, a shell script) are no JSON strings.
 */
final class BodyMapper extends ObjectMapper {

    BodyMapper() {
        setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
        configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        configure(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE, false);
        disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING);
        enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING);
        disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        registerModule(new JavaTimeModule());
        registerModule(new RFC3339JavaTimeModule());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T readValue(String content, TypeReference<T> valueTypeRef) throws JsonProcessingException {
        if (valueTypeRef.getType() == String.class) {
            return (T) content;
        }
        return super.readValue(content, valueTypeRef);
    }

    /** The generated API classes each take a copy; the configuration is fixed, so a new one is a copy. */
    @Override
    public ObjectMapper copy() {
        return new BodyMapper();
    }
}
