package org.karellab.probe;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.Dataset;
import org.tribuo.Trainer;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;
import org.tribuo.regression.Regressor;

import java.util.Map;

/**
 * A {@link ProbeNetworkTrainer}'s network with a regression head: mean squared error on targets
 * standardised with training statistics, early stopping on held-out R^2. Seeding and invocation
 * count are the wrapped trainer's. Made by {@link ProbeNetworkTrainer#regressor()}.
 */
public final class RegressionProbeTrainer implements Trainer<Regressor> {
    @Config(mandatory = true, description = "The probe network and its training settings.")
    private ProbeNetworkTrainer network;

    /** For OLCUT. */
    private RegressionProbeTrainer() {}

    RegressionProbeTrainer(ProbeNetworkTrainer network) {
        this.network = network;
    }

    /** The wrapped network trainer. */
    public ProbeNetworkTrainer network() {
        return network;
    }

    @Override
    public ProbeNetworkModel<Regressor> train(Dataset<Regressor> examples) {
        return train(examples, Map.of(), INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public ProbeNetworkModel<Regressor> train(Dataset<Regressor> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public ProbeNetworkModel<Regressor> train(Dataset<Regressor> examples, Map<String, Provenance> runProvenance,
                                              int invocationCount) {
        TrainerProvenance provenance;
        synchronized (network) {
            if (invocationCount != INCREMENT_INVOCATION_COUNT) {
                network.setInvocationCount(invocationCount);
            }
            provenance = getProvenance();
        }
        return network.fit(ProbeMatrix.of(examples), examples, runProvenance, INCREMENT_INVOCATION_COUNT, provenance);
    }

    /** Trains on rows already converted to a dense matrix. */
    ProbeNetworkModel<Regressor> train(ProbeMatrix rows, Dataset<Regressor> examples) {
        return network.fit(rows, examples, Map.of(), INCREMENT_INVOCATION_COUNT, getProvenance());
    }

    @Override
    public int getInvocationCount() {
        return network.getInvocationCount();
    }

    @Override
    public void setInvocationCount(int invocationCount) {
        network.setInvocationCount(invocationCount);
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "RegressionProbeTrainer(" + network + ")";
    }
}
