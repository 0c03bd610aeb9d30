package org.rnn4j.spark;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that Spark can ship to executors: a lambda or method reference assigned to
 * this type is serializable, and so must be everything it captures.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {
}
