package io.edgeplane.cli;

import io.edgeplane.cli.output.OutputFormat;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/** {@code -o json} in lower case, as kubectl users type it. */
final class OutputFormatConverter implements CommandLine.ITypeConverter<OutputFormat> {

    @Override
    public OutputFormat convert(String value) {
        try {
            return OutputFormat.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("expected one of " + Arrays.toString(OutputFormat.values()) + " but was '" + value + "'");
        }
    }

    static final class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(OutputFormat.values()).map(OutputFormat::toString).iterator();
        }
    }
}
