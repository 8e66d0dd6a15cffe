package io.edgeplane.seedmanager.api;

import io.micronaut.context.annotation.Factory;
import io.micronaut.core.convert.ConversionContext;
import io.micronaut.core.convert.TypeConverter;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.function.Function;

/**
 * Text becomes a whole number only when it is one. The framework's default reads an empty value
 * ({@code ?limit=}) as absent, so a request the document calls invalid was answered as if the
 * parameter had not been sent; now it answers 422 naming the parameter.
 */
@Factory
public class StrictNumberConverters {
    @Singleton
    TypeConverter<String, Integer> integers() {
        return strict(Integer::valueOf);
    }

    @Singleton
    TypeConverter<String, Long> longs() {
        return strict(Long::valueOf);
    }

    private static <N extends Number> TypeConverter<String, N> strict(Function<String, N> parse) {
        return (String text, Class<N> targetType, ConversionContext context) -> {
            try {
                return Optional.of(parse.apply(text.strip()));
            } catch (NumberFormatException e) {
                context.reject(text, e);
                return Optional.empty();
            }
        };
    }
}
