package io.edgeplane.cli;

import picocli.CommandLine;

import java.lang.reflect.Constructor;

/** Gives every command that asks for it the one {@link Cli} of this run, through its constructor. */
final class CommandFactory implements CommandLine.IFactory {

    private final Cli cli;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    CommandFactory(Cli cli) {
        this.cli = cli;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (type == GlobalOptions.class) {
            return type.cast(cli.options());
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == Cli.class) {
                constructor.setAccessible(true);
                return type.cast(constructor.newInstance(cli));
            }
        }
        return fallback.create(type);
    }
}
