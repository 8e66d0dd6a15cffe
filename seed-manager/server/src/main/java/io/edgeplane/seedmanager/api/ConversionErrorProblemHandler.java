package io.edgeplane.seedmanager.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.body.CloseableAvailableByteBody;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.serde.exceptions.SerdeException;
import io.micronaut.serde.exceptions.path.CollectionItemReferencePath;
import io.micronaut.serde.exceptions.path.MapItemReferencePath;
import io.micronaut.serde.exceptions.path.PropertyReferencePath;
import io.micronaut.serde.exceptions.path.ReferencePath;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request value that cannot become the declared type (a string where a number belongs, an unknown
 * field, a query parameter that is not a number) answers 422 naming the field path, like every other
 * invalid field. Only a body that is not JSON at all answers 400 (the framework's JSON handler).
 */
@Produces(Problem.MEDIA_TYPE)
@Singleton
@Replaces(ConversionErrorHandler.class)
public class ConversionErrorProblemHandler implements ExceptionHandler<ConversionErrorException, HttpResponse<Problem>> {
    private static final Pattern UNKNOWN_PROPERTY = Pattern.compile("Unknown property \\[([^\\]]*)]");

    private final BodyProblems bodyProblems;

    public ConversionErrorProblemHandler(BodyProblems bodyProblems) {
        this.bodyProblems = bodyProblems;
    }

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ConversionErrorException exception) {
        HttpRequest<?> typed = request;
        List<FieldProblem> problems = List.of();
        if (exception.getArgument().getAnnotationMetadata().hasAnnotation(Body.class)) {
            // Serde stops at the first bad value; the caller should see all of them.
            String raw = rawBody(typed);
            problems = bodyProblems.of(raw, exception.getArgument());
        }
        if (problems.isEmpty()) {
            problems = List.of(problem(exception));
        }
        InvalidInputException invalid = new InvalidInputException(problems);
        return Problems.response(Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, invalid.getMessage(), invalid.errors()));
    }

    /** The body as received; it was buffered to be bound, so this does not wait on the network. */
    private static String rawBody(HttpRequest<?> request) {
        if (!(request instanceof ServerHttpRequest<?> server)) {
            return null;
        }
        try (CloseableAvailableByteBody body = server.byteBody().split().buffer().get(5, TimeUnit.SECONDS)) {
            return body.toString(StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return null;
        }
    }

    static FieldProblem problem(ConversionErrorException exception) {
        boolean body = exception.getArgument().getAnnotationMetadata().hasAnnotation(Body.class);
        SerdeException serde = serdeCause(exception);
        if (serde == null) {
            return new FieldProblem(body ? "body" : exception.getArgument().getName(), "has the wrong type");
        }
        String path = path(serde.getPath());
        Matcher unknown = UNKNOWN_PROPERTY.matcher(String.valueOf(serde.getMessage()));
        if (unknown.find()) {
            // Serde's path may already end at the unknown property.
            String name = unknown.group(1);
            return new FieldProblem(path.equals(name) || path.endsWith("." + name) ? path : join(path, name), "unknown field");
        }
        return new FieldProblem(path.isEmpty() ? "body" : path, "has the wrong type: " + expected(serde));
    }

    private static String expected(SerdeException serde) {
        List<ReferencePath> path = serde.getPath();
        if (path == null || path.isEmpty()) {
            return "expected an object";
        }
        Class<?> type = path.get(path.size() - 1).getArgument().getType();
        if (type == String.class || type.isEnum()) {
            return "expected a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "expected true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "expected a number";
        }
        if (Iterable.class.isAssignableFrom(type)) {
            return "expected an array";
        }
        if (type.getPackageName().startsWith("java.time")) {
            return "expected an RFC 3339 timestamp such as 2030-01-31T12:00:00Z";
        }
        return "expected an object";
    }

    private static String path(List<ReferencePath> nodes) {
        StringBuilder path = new StringBuilder();
        if (nodes == null) {
            return "";
        }
        for (ReferencePath node : nodes) {
            if (node instanceof PropertyReferencePath property) {
                path.append(path.length() == 0 ? "" : ".").append(property.property().getName());
            } else if (node instanceof CollectionItemReferencePath item) {
                path.append('[').append(item.index()).append(']');
            } else if (node instanceof MapItemReferencePath entry) {
                path.append(path.length() == 0 ? "" : ".").append(entry.key());
            }
        }
        return path.toString();
    }

    private static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }

    private static SerdeException serdeCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SerdeException serde) {
                return serde;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
