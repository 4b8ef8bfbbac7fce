package dev.machina.qom;

import dev.machina.util.UserException;

/** Carries a {@link QomError} to the caller that can report it. No stack trace is captured. */
public final class QomException extends UserException {
    private final transient QomError error;

    public QomException(QomError error) {
        super(error.message());
        this.error = error;
    }

    public QomError error() {
        return error;
    }

    static QomException badValue(String type, PropertySpec spec, String text, BadValue e) {
        return new QomException(new QomError.BadPropertyValue(type, spec.name(), spec.type().name(), text, e.getMessage(), e.expected()));
    }
}
