package org.rnn4j.tests.boundaries;

import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.LocationProvider;
import java.lang.module.ResolvedModule;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the library modules' classes are: the jars or class folders that the boot layer resolved
 * them from. ArchUnit imports exactly these, as JUnit's own ArchUnit tests import their built jars,
 * rather than scanning packages (which on the module path may silently find nothing).
 */
public final class LibraryModules implements LocationProvider {

    /** The modules that make up the library, in dependency order. */
    static final List<String> NAMES = List.of(
            "org.rnn4j.core", "org.rnn4j.spi", "org.rnn4j.nn", "org.rnn4j.cells", "org.rnn4j.attention", "org.rnn4j.training",
            "org.rnn4j.models");

    /** Called by ArchUnit. */
    public LibraryModules() {
    }

    @Override
    public Set<Location> get(Class<?> testClass) {
        return NAMES.stream().map(LibraryModules::location).collect(Collectors.toSet());
    }

    static ResolvedModule resolved(String name) {
        return ModuleLayer.boot().configuration().findModule(name).orElseThrow(() -> new IllegalStateException(
                name + " is not in the boot layer: the tests must run on the module path (surefire 3.5.4+)"));
    }

    private static Location location(String name) {
        URI uri = resolved(name).reference().location()
                .orElseThrow(() -> new IllegalStateException(name + " has no location to import classes from"));
        // A plain file: URI of a jar would be walked as a folder and yield nothing.
        return Files.isDirectory(Path.of(uri)) ? Location.of(uri) : Location.of(URI.create("jar:" + uri + "!/"));
    }
}
