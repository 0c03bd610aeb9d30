package org.rnn4j.tests.boundaries.planted.models;

/** A model, which the plugin modules must not know. */
public final class PlantedModel {
    public String name() {
        return "planted";
    }
}
