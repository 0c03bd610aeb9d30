package org.rnn4j.tests.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.rnn4j.spi.PluginRegistry;
import org.rnn4j.spi.UnknownPluginException;
import org.rnn4j.tests.fixture.AlphaFixture;
import org.rnn4j.tests.fixture.ClashingPlugin;
import org.rnn4j.tests.fixture.CountingFixture;
import org.rnn4j.tests.fixture.ExplodingFixture;
import org.rnn4j.tests.fixture.FirstClash;
import org.rnn4j.tests.fixture.FixturePlugin;
import org.rnn4j.tests.fixture.SecondClash;
import org.rnn4j.tests.fixture.SingletonFixture;

/** The registry over a real ServiceLoader, with providers declared by {@code provides} in module-info. */
class ServiceLoaderRegistryTest {

    private static PluginRegistry<FixturePlugin> fixtures() {
        return PluginRegistry.of("fixture", FixturePlugin.class, ServiceLoader.load(FixturePlugin.class));
    }

    @Test
    void runsOnTheModulePath() {
        // On the class path `provides` is ignored and every check below would test nothing.
        assertEquals("org.rnn4j.tests", getClass().getModule().getName());
        assertEquals("org.rnn4j.spi", PluginRegistry.class.getModule().getName());
    }

    @Test
    void findsTheDeclaredProvidersByNameWithoutConstructingThem() {
        int before = CountingFixture.constructions();

        PluginRegistry<FixturePlugin> registry = fixtures();

        assertEquals(List.of("alpha", "counting", "exploding", "singleton"), registry.names());
        assertEquals(ExplodingFixture.class, registry.providerType("exploding"));
        assertEquals("The first fixture", registry.description("alpha"));
        assertEquals(before, CountingFixture.constructions());
    }

    @Test
    void getConstructsOnceThroughTheServiceLoader() {
        PluginRegistry<FixturePlugin> registry = fixtures();
        int before = CountingFixture.constructions();

        FixturePlugin first = registry.get("counting");
        FixturePlugin second = registry.get("counting");

        assertSame(first, second);
        assertEquals(before + 1, CountingFixture.constructions());
        assertInstanceOf(AlphaFixture.class, registry.get("alpha"));
    }

    @Test
    void aProviderMethodIsUsedInsteadOfAConstructor() {
        PluginRegistry<FixturePlugin> registry = fixtures();

        assertEquals(SingletonFixture.class, registry.providerType("singleton"));
        assertSame(SingletonFixture.provider(), registry.get("singleton"));
    }

    @Test
    void aFailingConstructorSurfacesOnLookupAsAServiceConfigurationError() {
        PluginRegistry<FixturePlugin> registry = fixtures();

        ServiceConfigurationError e = assertThrows(ServiceConfigurationError.class, () -> registry.get("exploding"));

        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void anUnknownNameListsTheRegisteredNames() {
        UnknownPluginException e = assertThrows(UnknownPluginException.class, () -> fixtures().get("alfa"));

        assertEquals("No fixture named 'alfa'; known fixtures: alpha, counting, exploding, singleton", e.getMessage());
    }

    @Test
    void duplicateNamesFromRealProvidersFailTheBuildNamingBothClasses() {
        ServiceConfigurationError e = assertThrows(ServiceConfigurationError.class,
                () -> PluginRegistry.of("clashing plugin", ClashingPlugin.class, ServiceLoader.load(ClashingPlugin.class)));

        assertTrue(e.getMessage().startsWith("Two clashing plugins are named 'clash': "), e.getMessage());
        assertTrue(e.getMessage().contains(FirstClash.class.getName() + " (module org.rnn4j.tests)"), e.getMessage());
        assertTrue(e.getMessage().contains(SecondClash.class.getName() + " (module org.rnn4j.tests)"), e.getMessage());
    }
}
