package org.rnn4j.tests.reliability;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Sets the tries of a fuzzing property from {@code -Drnn4j.fuzz.tries=N}, so a long campaign needs
 * no code change; without the property the tries written on {@code @Property} apply.
 */
public final class FuzzTries implements AroundPropertyHook {

    /** The system property holding the tries of each fuzzing property. */
    public static final String PROPERTY = "rnn4j.fuzz.tries";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String tries = System.getProperty(PROPERTY);
        if (tries != null && !tries.isBlank()) {
            context.attributes().setTries(Integer.parseInt(tries.trim()));
        }
        return property.execute();
    }
}
