package org.rnn4j.tests.boundaries.planted.training;

import org.rnn4j.tests.boundaries.planted.models.PlantedModel;

/** Breaks "cells, attention and training do not depend on models": a trainer that knows a concrete model. */
public final class PlantedModelTrainer {
    PlantedModel model;
}
