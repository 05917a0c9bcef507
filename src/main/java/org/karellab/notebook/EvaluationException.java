package org.karellab.notebook;

import java.util.List;

/** A cell that threw; {@link #exceptionClassName()} names what the user's code threw. */
public final class EvaluationException extends CellException {

    private final String exceptionClassName;

    EvaluationException(String exceptionClassName, String message, List<String> report) {
        super(message, report);
        this.exceptionClassName = exceptionClassName;
    }

    public String exceptionClassName() {
        return exceptionClassName;
    }
}
