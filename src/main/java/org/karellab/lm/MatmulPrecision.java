package org.karellab.lm;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * libtorch's internal precision of float32 matrix products, PyTorch's
 * {@code torch.set_float32_matmul_precision}: {@code highest} (the default: true float32),
 * {@code high} or {@code medium}. On a CPU with AMX-BF16 (Sapphire Rapids and later),
 * {@code medium} makes libtorch run float32 products on oneDNN's AMX kernels with bfloat16
 * inputs and float32 accumulation ("bf32"): weights, activations and gradients stay float32
 * tensors (so the master weights and the optimizer are untouched), only the products round their
 * inputs to 8 significant bits. That changes the numerics, so it is never on unless asked.
 *
 * <p>DJL's PyTorch engine has no call for this setting, so it is made through libtorch's own
 * exported C++ functions ({@code at::globalContext().setFloat32MatmulPrecision}), found by their
 * mangled names in the loaded {@code libtorch_cpu} with JNA. A libtorch that lacks them makes
 * {@link #set} fail with an {@link LmException}, never silently.
 */
public final class MatmulPrecision {
    /** PyTorch's at::Float32MatmulPrecision, in its order. */
    private static final String[] NAMES = {"highest", "high", "medium"};
    private static final String CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET = "_ZN2at7Context25setFloat32MatmulPrecisionENS_22Float32MatmulPrecisionE";
    private static final String GET = "_ZNK2at7Context22float32MatmulPrecisionEv";

    private MatmulPrecision() {
    }

    /** The precisions by name, from true float32 to bfloat16 inputs. */
    public static java.util.List<String> names() {
        return java.util.List.of(NAMES);
    }

    /**
     * Runs {@code body} at precision {@code name} and restores the precision in force before, also
     * when {@code body} throws. The precision is global to the process, so calls hold one lock for
     * their whole body: two trainings in one process run one after the other, never at each other's
     * precision. At {@code highest} when nothing in this process ever set another, it touches no
     * libtorch function (so a libtorch without them still trains at the default).
     */
    public static <T> T during(String name, java.util.function.Supplier<T> body) {
        level(name);
        synchronized (MatmulPrecision.class) {
            if (!touched && NAMES[0].equals(name.toLowerCase(Locale.ROOT))) {
                return body.get();
            }
            String before = get();
            Throwable failure = null;
            try {
                set(name);
                return body.get();
            } catch (RuntimeException | Error e) {
                failure = e;
                throw e;
            } finally {
                try {
                    set(before);
                } catch (RuntimeException e) {
                    if (failure == null) {
                        throw e;
                    }
                    failure.addSuppressed(e);
                }
            }
        }
    }

    /** Whether {@link #set} was ever called in this process. */
    private static volatile boolean touched;

    /** Sets the precision by name ({@code highest}, {@code high}, {@code medium}). */
    public static synchronized void set(String name) {
        int level = level(name);
        touched = true;
        Pointer context = context();
        lib().getFunction(SET).invokeVoid(new Object[] {context, level});
        if (!get().equals(NAMES[level])) {
            throw new LmException("matmul precision: libtorch did not take '" + name + "'");
        }
    }

    /** The precision in force, by name. */
    public static synchronized String get() {
        int level = lib().getFunction(GET).invokeInt(new Object[] {context()});
        if (level < 0 || level >= NAMES.length) {
            throw new LmException("matmul precision: libtorch reports unknown level " + level);
        }
        return NAMES[level];
    }

    /** Index of {@code name} in the precisions, or an {@link LmException} naming the known ones. */
    static int level(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        throw new LmException("matmul precision '" + name + "' is unknown (known: highest, high, medium)");
    }

    private static Pointer context() {
        return lib().getFunction(CONTEXT).invokePointer(new Object[0]);
    }

    private static NativeLibrary lib() {
        Engine.getEngine("PyTorch"); // loads libtorch
        Path file = Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("torch_cpu"));
        if (!Files.exists(file)) {
            throw new LmException("matmul precision: " + file + " not found");
        }
        try {
            NativeLibrary lib = NativeLibrary.getInstance(file.toString());
            lib.getFunction(SET);
            lib.getFunction(GET);
            lib.getFunction(CONTEXT);
            return lib;
        } catch (UnsatisfiedLinkError e) {
            throw new LmException("matmul precision: " + file + " does not export libtorch 2's context functions ("
                    + e.getMessage() + ")", e);
        }
    }
}
