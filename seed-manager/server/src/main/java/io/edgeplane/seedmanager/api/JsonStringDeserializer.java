package io.edgeplane.seedmanager.api;

import io.micronaut.core.annotation.Order;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * Reads JSON strings into String fields and refuses everything else. The default would turn
 * {@code false} into "false" and {@code 12} into "12", so a request the document calls invalid
 * would be accepted with a value the caller did not send.
 */
@Singleton
@Order(-100)
public class JsonStringDeserializer implements Deserializer<String> {
    @Override
    public String deserialize(Decoder decoder, DecoderContext context, Argument<? super String> type) throws IOException {
        Object value = decoder.decodeArbitrary();
        if (value instanceof String text) {
            return text;
        }
        throw decoder.createDeserializationException("must be a string", value);
    }
}
