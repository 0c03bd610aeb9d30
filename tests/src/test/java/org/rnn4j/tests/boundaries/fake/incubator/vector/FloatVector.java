package org.rnn4j.tests.boundaries.fake.incubator.vector;

/** Stands in for jdk.incubator.vector.FloatVector, which this module does not read. */
public final class FloatVector {
}
