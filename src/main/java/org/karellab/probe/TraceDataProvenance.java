package org.karellab.probe;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.DataSource;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.provenance.DataSourceProvenance;
import org.tribuo.provenance.OutputFactoryProvenance;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a probe's rows came from: a free-form description given by the caller (run, checkpoint,
 * layer, split, semantics, offset, feature, ...) plus the row and feature counts, recorded as
 * string provenance so it travels inside every dataset and model trained on it.
 */
public final class TraceDataProvenance implements DataSourceProvenance {
    private static final long serialVersionUID = 1L;

    private final TreeMap<String, Provenance> description;
    private final DateTimeProvenance creationTime;
    private final OutputFactoryProvenance outputFactory;

    /**
     * @param description caller's description, e.g. {@code run=lm-a, checkpoint=8000, layer=mean, split=train}
     * @param outputFactory the factory of the dataset's outputs
     */
    public <T extends Output<T>> TraceDataProvenance(Map<String, String> description, OutputFactory<T> outputFactory) {
        this.description = new TreeMap<>();
        description.forEach((key, value) -> {
            if (key.equals(OUTPUT_FACTORY) || key.equals(DATASOURCE_CREATION_TIME)) {
                throw new IllegalArgumentException("description key '" + key + "' is reserved by Tribuo");
            }
            this.description.put(key, new StringProvenance(key, Objects.requireNonNull(value, key)));
        });
        this.creationTime = new DateTimeProvenance(DATASOURCE_CREATION_TIME, OffsetDateTime.now());
        this.outputFactory = outputFactory.getProvenance();
    }

    /** Unmarshalling constructor used by OLCUT's provenance machinery ({@code Model.copy()}). */
    public TraceDataProvenance(Map<String, Provenance> map) {
        this.description = new TreeMap<>();
        DateTimeProvenance time = null;
        OutputFactoryProvenance factory = null;
        for (Map.Entry<String, Provenance> entry : map.entrySet()) {
            switch (entry.getKey()) {
                case DATASOURCE_CREATION_TIME -> time = (DateTimeProvenance) entry.getValue();
                case OUTPUT_FACTORY -> factory = (OutputFactoryProvenance) entry.getValue();
                default -> description.put(entry.getKey(), entry.getValue());
            }
        }
        this.creationTime = Objects.requireNonNull(time, DATASOURCE_CREATION_TIME);
        this.outputFactory = Objects.requireNonNull(factory, OUTPUT_FACTORY);
    }

    /** The caller's description entries (plus {@code rows} and {@code features}), sorted by key. */
    public Map<String, String> description() {
        Map<String, String> out = new TreeMap<>();
        description.forEach((key, value) -> out.put(key, value.toString()));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String getClassName() {
        return DataSource.class.getName();
    }

    @Override
    public Iterator<Pair<String, Provenance>> iterator() {
        List<Pair<String, Provenance>> list = new ArrayList<>();
        description.forEach((key, value) -> list.add(new Pair<>(key, value)));
        list.add(new Pair<>(OUTPUT_FACTORY, outputFactory));
        list.add(new Pair<>(DATASOURCE_CREATION_TIME, creationTime));
        return list.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceDataProvenance other
                && description.equals(other.description)
                && creationTime.equals(other.creationTime)
                && outputFactory.equals(other.outputFactory);
    }

    @Override
    public int hashCode() {
        return Objects.hash(description, creationTime, outputFactory);
    }

    @Override
    public String toString() {
        return generateString("TraceData");
    }
}
