package io.edgeplane.cli.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.edgeplane.cli.api.RFC3339JavaTimeModule;
import io.edgeplane.cli.api.model.WorkloadList;
import io.edgeplane.cli.api.model.WorkloadView;

import java.io.IOException;
import java.util.Set;


/**
 * The generated client's ObjectMapper, configured as the generator configures it, except that a body the operation
 * declares as a string is handed over exactly as it came. The generated code reads every body through the mapper,
 * and the API's text answers (a kubeconfig in YAML, a shell script, a list that can also be a text/event-stream)
 * are no JSON strings.
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
        // The members of a oneOf answer (deployWorkloads: one workload, or a list of them) are told apart by trying
        // each; ignoring unknown fields, either would match the other's JSON.
        addHandler(new StrictOneOfMembers(Set.of(WorkloadView.class, WorkloadList.class)));
    }

    /** Unknown fields are skipped, except in these types: there an unknown field means "not this member". */
    private static final class StrictOneOfMembers extends DeserializationProblemHandler {
        private final Set<Class<?>> strict;

        StrictOneOfMembers(Set<Class<?>> strict) {
            this.strict = strict;
        }

        @Override
        public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser, JsonDeserializer<?> deserializer,
                                             Object beanOrClass, String propertyName) throws IOException {
            Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
            if (strict.contains(type)) {
                throw UnrecognizedPropertyException.from(parser, beanOrClass, propertyName, null);
            }
            return false;
        }
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
