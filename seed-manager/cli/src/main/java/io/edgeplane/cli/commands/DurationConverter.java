package io.edgeplane.cli.commands;

import picocli.CommandLine;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Durations as operators write them: 90s, 15m, 12h, 30d (ISO-8601 such as PT12H works too). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        try {
            if (text.matches("\\d+[smhd]")) {
                long amount = Long.parseLong(text.substring(0, text.length() - 1));
                return switch (text.charAt(text.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            return Duration.parse(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new CommandLine.TypeConversionException("not a duration (e.g. 90s, 15m, 12h, 30d): " + text);
        }
    }
}
