package org.rnn4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PluginRegistryTest {

    /** A stand-in plugin kind. */
    interface Greeter {
        String greet();
    }

    @Plugin(name = "hello", description = "Says hello")
    static final class Hello implements Greeter {
        @Override
        public String greet() {
            return "hello";
        }
    }

    @Plugin(name = "hello")
    static final class HelloAgain implements Greeter {
        @Override
        public String greet() {
            return "hello again";
        }
    }

    @Plugin(name = "bye")
    static final class Bye implements Greeter {
        @Override
        public String greet() {
            return "bye";
        }
    }

    /** Proves that listing never constructs: building a registry that holds it must not throw. */
    @Plugin(name = "exploding")
    static final class Exploding implements Greeter {
        Exploding() {
            throw new IllegalStateException("Exploding must not be constructed by listing");
        }

        @Override
        public String greet() {
            return "unreachable";
        }
    }

    static final class Unannotated implements Greeter {
        @Override
        public String greet() {
            return "nameless";
        }
    }

    @Plugin(name = "Scaled_Dot")
    static final class BadlyNamed implements Greeter {
        @Override
        public String greet() {
            return "bad";
        }
    }

    @Plugin(name = "base")
    static class Base implements Greeter {
        @Override
        public String greet() {
            return "base";
        }
    }

    /** Without its own annotation: a subclass must not silently reuse its parent's name. */
    static final class Derived extends Base {
    }

    /** A provider as ServiceLoader would hand it over: the class now, the instance on demand. */
    private record TestProvider<P>(Class<? extends P> type, Supplier<? extends P> factory)
            implements ServiceLoader.Provider<P> {
        @Override
        public P get() {
            return factory.get();
        }
    }

    private static <P> ServiceLoader.Provider<P> provider(Class<? extends P> type, Supplier<? extends P> factory) {
        return new TestProvider<>(type, factory);
    }

    @SafeVarargs
    private static PluginRegistry<Greeter> greeters(ServiceLoader.Provider<Greeter>... providers) {
        return PluginRegistry.of("greeter", Greeter.class, Stream.of(providers));
    }

    @Test
    void listingReadsNamesWithoutConstructingProviders() {
        AtomicInteger constructions = new AtomicInteger();
        PluginRegistry<Greeter> registry = greeters(
                provider(Hello.class, () -> {
                    constructions.incrementAndGet();
                    return new Hello();
                }),
                provider(Exploding.class, Exploding::new),
                provider(Bye.class, Bye::new));

        assertEquals(List.of("bye", "exploding", "hello"), registry.names());
        assertTrue(registry.contains("exploding"));
        assertFalse(registry.contains("hola"));
        assertEquals(Exploding.class, registry.providerType("exploding"));
        assertEquals("Says hello", registry.description("hello"));
        assertEquals("", registry.description("bye"));
        assertEquals(0, constructions.get());
    }

    @Test
    void getConstructsOnceAndCaches() {
        AtomicInteger constructions = new AtomicInteger();
        PluginRegistry<Greeter> registry = greeters(provider(Hello.class, () -> {
            constructions.incrementAndGet();
            return new Hello();
        }));

        Greeter first = registry.get("hello");
        Greeter second = registry.get("hello");

        assertEquals("hello", first.greet());
        assertSame(first, second);
        assertEquals(1, constructions.get());
    }

    @Test
    void concurrentFirstLookupsConstructOnce() throws Exception {
        int threads = 8;
        AtomicInteger constructions = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        PluginRegistry<Greeter> registry = greeters(provider(Hello.class, () -> {
            constructions.incrementAndGet();
            // Holds the first construction while the other threads reach get: a lookup that is not
            // atomic would then construct again.
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Hello();
        }));

        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Greeter>> results = Stream.generate(() -> pool.submit(() -> {
                start.await();
                return registry.get("hello");
            })).limit(threads).toList();
            start.countDown();
            Greeter expected = results.getFirst().get();
            for (Future<Greeter> result : results) {
                assertSame(expected, result.get());
            }
        }
        assertEquals(1, constructions.get());
    }

    @Test
    void failedConstructionIsNotCachedSoALaterLookupRetries() {
        AtomicInteger attempts = new AtomicInteger();
        PluginRegistry<Greeter> registry = greeters(provider(Hello.class, () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new ServiceConfigurationError("transient failure");
            }
            return new Hello();
        }));

        assertThrows(ServiceConfigurationError.class, () -> registry.get("hello"));
        assertEquals("hello", registry.get("hello").greet());
        assertEquals(2, attempts.get());
    }

    @Test
    void aProviderThatLooksItselfUpWhileConstructedIsRejected() {
        AtomicReference<PluginRegistry<Greeter>> self = new AtomicReference<>();
        self.set(greeters(provider(Hello.class, () -> self.get().get("hello"))));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> self.get().get("hello"));

        assertTrue(e.getMessage().contains("greeter 'hello' was looked up while its provider "
                + Hello.class.getName() + " was being constructed"), e.getMessage());
    }

    @Test
    void aProviderReturningNullIsAConfigurationError() {
        PluginRegistry<Greeter> registry = greeters(provider(Hello.class, () -> null));

        ServiceConfigurationError e = assertThrows(ServiceConfigurationError.class, () -> registry.get("hello"));

        assertTrue(e.getMessage().contains(Hello.class.getName()), e.getMessage());
    }

    @Test
    void unknownNameListsTheKnownNames() {
        PluginRegistry<Greeter> registry = greeters(provider(Hello.class, Hello::new), provider(Bye.class, Bye::new));

        UnknownPluginException e = assertThrows(UnknownPluginException.class, () -> registry.get("helo"));

        assertEquals("No greeter named 'helo'; known greeters: bye, hello", e.getMessage());
        assertEquals("greeter", e.kind());
        assertEquals("helo", e.name());
        assertEquals(List.of("bye", "hello"), e.knownNames());
        assertThrows(UnknownPluginException.class, () -> registry.providerType("helo"));
        assertThrows(UnknownPluginException.class, () -> registry.description("helo"));
    }

    @Test
    void unknownNameInAnEmptyRegistryHintsAtTheModulePath() {
        PluginRegistry<Greeter> registry = greeters();

        UnknownPluginException e = assertThrows(UnknownPluginException.class, () -> registry.get("lstm"));

        assertEquals("No greeter named 'lstm'; no greeters are registered (no provider of "
                + Greeter.class.getName() + " was found) — is the providing module on the module path?",
                e.getMessage());
        assertEquals(List.of(), e.knownNames());
    }

    @Test
    void messagesUseTheKindsPlural() {
        PluginRegistry<Greeter> strategies = PluginRegistry.of("training strategy", Greeter.class,
                Stream.of(provider(Hello.class, Hello::new)));
        PluginRegistry<Greeter> losses = PluginRegistry.of("loss", Greeter.class,
                Stream.of(provider(Hello.class, Hello::new)));
        PluginRegistry<Greeter> scorers = PluginRegistry.of("attention scorer", Greeter.class,
                Stream.of(provider(Hello.class, Hello::new)));

        assertEquals("No training strategy named 'x'; known training strategies: hello",
                assertThrows(UnknownPluginException.class, () -> strategies.get("x")).getMessage());
        assertEquals("No loss named 'x'; known losses: hello",
                assertThrows(UnknownPluginException.class, () -> losses.get("x")).getMessage());
        assertEquals("No attention scorer named 'x'; known attention scorers: hello",
                assertThrows(UnknownPluginException.class, () -> scorers.get("x")).getMessage());
    }

    @Test
    void duplicateNamesFailTheBuildNamingBothClasses() {
        ServiceConfigurationError e = assertThrows(ServiceConfigurationError.class, () -> greeters(
                provider(Hello.class, Hello::new), provider(Bye.class, Bye::new),
                provider(HelloAgain.class, HelloAgain::new)));

        assertEquals("Two greeters are named 'hello': " + Hello.class.getName() + " (module org.rnn4j.spi) and "
                + HelloAgain.class.getName() + " (module org.rnn4j.spi); names must be unique,"
                + " so remove one of the modules or rename one provider", e.getMessage());
    }

    @Test
    void aProviderWithoutTheAnnotationIsRejectedNamingClassAndKind() {
        ServiceConfigurationError e = assertThrows(ServiceConfigurationError.class,
                () -> greeters(provider(Hello.class, Hello::new), provider(Unannotated.class, Unannotated::new)));

        assertTrue(e.getMessage().startsWith("greeter provider " + Unannotated.class.getName()
                + " (module org.rnn4j.spi) has no @org.rnn4j.spi.Plugin annotation"), e.getMessage());
    }

    @Test
    void aProviderTypedAsTheInterfaceGetsAHintAboutProviderMethods() {
        ServiceConfigurationError e = assertThrows(ServiceConfigurationError.class,
                () -> greeters(provider(Greeter.class, Hello::new)));

        assertTrue(e.getMessage().contains("for a public static provider() method, ServiceLoader reports the"
                + " method's return type: declare it to return the annotated class"), e.getMessage());
    }

    @Test
    void theAnnotationIsNotInherited() {
        ServiceConfigurationError e = assertThrows(ServiceConfigurationError.class,
                () -> greeters(provider(Base.class, Base::new), provider(Derived.class, Derived::new)));

        assertTrue(e.getMessage().startsWith("greeter provider " + Derived.class.getName()), e.getMessage());
    }

    @Test
    void anInvalidNameIsRejectedNamingClassAndRule() {
        ServiceConfigurationError e = assertThrows(ServiceConfigurationError.class,
                () -> greeters(provider(BadlyNamed.class, BadlyNamed::new)));

        assertEquals("greeter provider " + BadlyNamed.class.getName() + " (module org.rnn4j.spi) has the invalid"
                + " name 'Scaled_Dot': names are 1 to 64 lowercase letters, digits and '-', start with a letter,"
                + " and have no trailing or doubled '-'", e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aProviderOfTheWrongTypeIsRejected() {
        // Only reachable through an unchecked cast: a Provider's type() is declared to match.
        ServiceLoader.Provider<Greeter> wrong =
                (ServiceLoader.Provider<Greeter>) (ServiceLoader.Provider<?>) provider(String.class, () -> "x");

        ServiceConfigurationError e = assertThrows(ServiceConfigurationError.class, () -> greeters(wrong));

        assertEquals("greeter provider java.lang.String (module java.base) does not implement "
                + Greeter.class.getName(), e.getMessage());
    }

    @Test
    void blankKindIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PluginRegistry.of(" ", Greeter.class, Stream.<ServiceLoader.Provider<Greeter>>empty()));

        assertEquals("PluginRegistry.of: kind must not be blank, given ' '", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "lstm", "gru2", "scaled-dot", "teacher-forcing", "a-1-b",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"})
    void validNames(String name) {
        assertTrue(PluginRegistry.isValidName(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-lstm", "lstm-", "scaled--dot", "LSTM", "2d", "scaled_dot", "scaled dot",
        "caf\u00e9", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm"})
    void invalidNames(String name) {
        assertFalse(PluginRegistry.isValidName(name), name);
    }

    @Test
    void nullIsNotAValidName() {
        assertFalse(PluginRegistry.isValidName(null));
    }

    @Test
    void toStringShowsKindAndNames() {
        assertEquals("PluginRegistry[greeter: bye, hello]",
                greeters(provider(Hello.class, Hello::new), provider(Bye.class, Bye::new)).toString());
    }
}
