package org.karellab.notebook;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs JShell snippets inside the kernel's own JVM, so cells see the kernel's class path and share its
 * static state (the notebook kernel that {@code display(...)} talks to).
 * <p>
 * Unlike JShell's stock local engine it keeps each snippet's value as an object (JShell itself only passes
 * strings around), which is what lets charts and tables be rendered richly. Each snippet runs on a fresh
 * worker thread so that {@link #stop()} can halt it without touching the kernel's threads. Snippet classes
 * load with their {@code System.exit} calls turned into errors ({@link CellExits}).
 */
final class InProcessExecutionControl extends DirectExecutionControl {

    /** How long a stopped cell may take to react to {@link Thread#interrupt()} before it is killed. */
    private static final long STOP_GRACE_MILLIS = 500;

    private volatile Thread worker;
    private volatile boolean stopRequested;

    /** Value of the last snippet run; only touched on the thread calling JShell. */
    private Object lastValue;

    ExecutionControlProvider provider() {
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "karel-lab-in-process";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return InProcessExecutionControl.this;
            }
        };
    }

    /** Returns the value of the snippet that ran last (null if none) and forgets it. */
    Object takeLastValue() {
        Object value = lastValue;
        lastValue = null;
        return value;
    }

    /** Loads a snippet's classes with their exit calls rewritten ({@link CellExits}): a cell cannot end the kernel. */
    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        ClassBytecodes[] safe = new ClassBytecodes[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) {
            safe[i] = new ClassBytecodes(cbcs[i].name(), CellExits.rewrite(cbcs[i].bytecodes()));
        }
        super.load(safe);
    }

    /** Forgets a stop request left from an earlier cell; call when a cell starts. */
    void startCell() {
        stopRequested = false;
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        FutureTask<Object> task = new FutureTask<>(() -> doit.invoke(null));
        Thread thread = new Thread(task, "notebook-cell");
        thread.setContextClassLoader(doit.getDeclaringClass().getClassLoader());
        worker = thread;
        thread.start();
        if (stopRequested) {
            halt(thread); // the stop arrived while the snippet compiled: it must not run on unstopped
        }
        try {
            lastValue = task.get();
            // JShell only uses this string for SnippetEvent.value(); the object itself is kept in lastValue.
            return "";
        } catch (ExecutionException e) {
            if (stopRequested) {
                throw new StoppedException();
            }
            Throwable cause = e.getCause();
            // an InvocationTargetException is turned into the user's exception by DirectExecutionControl
            throw cause instanceof Exception ex ? ex : new InvocationTargetException(cause);
        } finally {
            worker = null;
        }
    }

    /**
     * Stops the running snippet, or the next one of this cell if none runs yet (a stop that
     * arrives while a snippet compiles). The flag is written before the worker is read, and
     * {@link #invoke} writes the worker before it reads the flag, so one of them sees the other.
     */
    @Override
    public void stop() {
        stopRequested = true;
        Thread running = worker;
        if (running != null) {
            halt(running);
        }
    }

    /**
     * Interrupts the snippet's thread and, if it ignores the interrupt, kills it. Thread.stop is
     * deprecated, but JShell's own local engine does the same on JDK 17: it is the only way to end a busy loop.
     */
    @SuppressWarnings({"removal", "deprecation"})
    private static void halt(Thread running) {
        running.interrupt();
        try {
            running.join(STOP_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (running.isAlive()) {
            running.stop();
        }
    }
}
