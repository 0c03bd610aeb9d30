package org.rnn4j.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Teaches Spark's Kryo to serialize Java records, such as the {@code Windowing.Window} examples
 * of a time series: Kryo 4, which Spark bundles, writes objects field by field and cannot set a
 * record's final fields on JDK 16 and later ("can't get field offset on a record class"). Records
 * are written component by component and read back through their canonical constructor, so their
 * validation runs again. Enable it with
 * {@code spark.kryo.registrator=org.rnn4j.spark.KryoRecords}.
 */
public final class KryoRecords implements KryoRegistrator {

    /** Called by Spark. */
    public KryoRecords() {
    }

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.addDefaultSerializer(Record.class, new RecordSerializer());
    }

    private static final class RecordSerializer extends Serializer<Record> {

        @Override
        public void write(Kryo kryo, Output output, Record record) {
            try {
                for (RecordComponent c : record.getClass().getRecordComponents()) {
                    var accessor = c.getAccessor();
                    accessor.setAccessible(true);
                    kryo.writeClassAndObject(output, accessor.invoke(record));
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new KryoException("cannot read the components of " + record.getClass().getName(), e);
            }
        }

        @Override
        public Record read(Kryo kryo, Input input, Class<Record> type) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = kryo.readClassAndObject(input);
            }
            try {
                Constructor<Record> constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                return constructor.newInstance(values);
            } catch (ReflectiveOperationException e) {
                throw new KryoException("cannot rebuild a " + type.getName() + " from its components", e);
            }
        }
    }
}
