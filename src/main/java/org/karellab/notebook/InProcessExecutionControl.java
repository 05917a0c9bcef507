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
 * worker thread so that {@link #stop()} can halt it without touching the kernel's threads.
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

    @Override
    protected String invoke(Method doit) throws Exception {
        FutureTask<Object> task = new FutureTask<>(() -> doit.invoke(null));
        Thread thread = new Thread(task, "notebook-cell");
        thread.setContextClassLoader(doit.getDeclaringClass().getClassLoader());
        stopRequested = false;
        worker = thread;
        thread.start();
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
     * Interrupts the running snippet and, if it ignores the interrupt, kills its thread. Thread.stop is
     * deprecated, but JShell's own local engine does the same on JDK 17: it is the only way to end a busy loop.
     */
    @Override
    @SuppressWarnings({"removal", "deprecation"})
    public void stop() {
        Thread running = worker;
        if (running == null) {
            return;
        }
        stopRequested = true;
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
