package io.edgeplane.seedmanager.api;

import io.micronaut.core.annotation.Order;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.math.BigInteger;

/**
 * Reads JSON whole numbers into Integer fields and refuses everything else. The default would cut
 * 20.5 to 20 and read "20" as 20, so a request the document calls invalid would be accepted with a
 * value the caller did not send.
 */
@Singleton
@Order(-100)
public class WholeNumberDeserializer implements Deserializer<Integer> {
    @Override
    public Integer deserialize(Decoder decoder, DecoderContext context, Argument<? super Integer> type) throws IOException {
        Object value = decoder.decodeArbitrary();
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if ((value instanceof Long || value instanceof BigInteger)
                && BigInteger.valueOf(Integer.MIN_VALUE).compareTo(new BigInteger(value.toString())) <= 0
                && BigInteger.valueOf(Integer.MAX_VALUE).compareTo(new BigInteger(value.toString())) >= 0) {
            return ((Number) value).intValue();
        }
        throw decoder.createDeserializationException("must be a whole number", value);
    }
}
