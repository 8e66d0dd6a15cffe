package io.edgeplane.seedmanager.api;

import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Lets controller methods take the authenticated {@link Caller} as a parameter. */
@Singleton
public class CallerArgumentBinder implements TypedRequestArgumentBinder<Caller> {
    public static final String ATTRIBUTE = "edgeplane.caller";

    @Override
    public Argument<Caller> argumentType() {
        return Argument.of(Caller.class);
    }

    @Override
    public BindingResult<Caller> bind(ArgumentConversionContext<Caller> context, HttpRequest<?> source) {
        Optional<Caller> caller = source.getAttribute(ATTRIBUTE, Caller.class);
        return () -> caller;
    }
}
