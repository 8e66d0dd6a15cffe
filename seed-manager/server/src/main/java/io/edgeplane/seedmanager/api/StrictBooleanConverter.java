package io.edgeplane.seedmanager.api;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.core.convert.TypeConverter;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Text becomes a boolean only when it says {@code true} or {@code false}, as the OpenAPI document
 * promises for boolean query parameters. The framework's default reads every other word as false,
 * so {@code ?staged=AAA} would silently undeploy everything instead of answering 422 naming the
 * parameter. This is global on purpose: a configuration value like {@code enabled: maybe} is a
 * mistake as well and fails at start instead of quietly meaning false.
 */
@Singleton
public class StrictBooleanConverter implements TypeConverter<String, Boolean> {
    @Override
    public Optional<Boolean> convert(String text, Class<Boolean> targetType, ConversionContext context) {
        if ("true".equals(text)) {
            return Optional.of(Boolean.TRUE);
        }
        if ("false".equals(text)) {
            return Optional.of(Boolean.FALSE);
        }
        context.reject(text, new IllegalArgumentException("must be true or false"));
        return Optional.empty();
    }
}
