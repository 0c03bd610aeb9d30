import org.rnn4j.tests.fixture.AlphaFixture;
import org.rnn4j.tests.fixture.ClashingPlugin;
import org.rnn4j.tests.fixture.CountingFixture;
import org.rnn4j.tests.fixture.ExplodingFixture;
import org.rnn4j.tests.fixture.FirstClash;
import org.rnn4j.tests.fixture.FixturePlugin;
import org.rnn4j.tests.fixture.RepeatingUnrolling;
import org.rnn4j.tests.fixture.SecondClash;
import org.rnn4j.tests.fixture.SingletonFixture;

/**
 * Test-only module that reads every library module, for the checks that span modules
 * (boundaries, golden files, learning tests). Ships nothing.
 */
open module org.rnn4j.tests {
    requires org.rnn4j.core;
    requires org.rnn4j.spi;
    requires org.rnn4j.nn;
    requires org.rnn4j.cells;
    requires org.rnn4j.attention;
    requires org.rnn4j.training;
    requires org.rnn4j.models;
    // Per-thread allocation counts, for the loader fuzzer's allocation bound.
    requires jdk.management;

    // Fixture plugin kinds, so the registry is tested through a real ServiceLoader.
    uses FixturePlugin;
    uses ClashingPlugin;

    provides FixturePlugin with AlphaFixture, CountingFixture, ExplodingFixture, SingletonFixture;
    provides ClashingPlugin with FirstClash, SecondClash;
    // A faulty unrolling plugin, which the trainer must refuse.
    provides org.rnn4j.spi.training.UnrollingProvider with RepeatingUnrolling;
}
