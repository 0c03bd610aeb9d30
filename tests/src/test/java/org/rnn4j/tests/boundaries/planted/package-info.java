/**
 * Planted violations of the module boundaries: a miniature rnn4j whose modules are the
 * sub-packages {@code core}, {@code spi}, ... of this package. {@code PlantedViolationsTest} runs
 * the real rules over it and expects each rule to fail, naming the offending class. Each class
 * says which rule it breaks; a class that breaks none is the control that must not be named.
 */
package org.rnn4j.tests.boundaries.planted;
