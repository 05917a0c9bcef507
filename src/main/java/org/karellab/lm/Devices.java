package org.karellab.lm;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one place that decides where tensors live and how many threads libtorch uses. Nothing else
 * in this package assumes a CPU.
 */
public final class Devices {
    private static final String INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";
    private static final String GRAPH_OPTIMIZER = "ai.djl.pytorch.graph_optimizer";

    private Devices() {
    }

    /**
     * The device a config asks for, after setting libtorch threads from {@code cfg.numThreads}:
     * "auto" is the engine's default device (CUDA when present),
     * "gpu" fails clearly when there is none.
     */
    public static Device device(LmConfig cfg) {
        configureThreads(cfg.hardware().numThreads());
        return switch (cfg.hardware().device()) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (Engine.getInstance().getGpuCount() == 0) {
                    throw new LmException("device gpu: no GPU visible to libtorch (use --set device=auto or cpu)");
                }
                yield Device.gpu();
            }
            default -> Engine.getInstance().defaultDevice();
        };
    }

    /**
     * Sets libtorch's intra-op threads ({@code 0} = one per core) and, if the engine is not loaded
     * yet, one inter-op thread (a training step is one chain of ops, so inter-op parallelism only
     * adds contention). A fixed thread count keeps results bit-identical between an interrupted
     * and an uninterrupted run.
     */
    private static void configureThreads(int numThreads) {
        if (System.getProperty(INTEROP_THREADS) == null) {
            System.setProperty(INTEROP_THREADS, "1");
        }
        if (System.getProperty(GRAPH_OPTIMIZER) == null) {
            // we run no TorchScript, so the engine's notice about its graph optimiser is noise
            System.setProperty(GRAPH_OPTIMIZER, "false");
        }
        Engine.getInstance();
        JniUtils.setNumThreads(numThreads > 0 ? numThreads : Runtime.getRuntime().availableProcessors());
    }

    /** libtorch's intra-op thread count in force. */
    public static int threads() {
        return JniUtils.getNumThreads();
    }
}
