package dev.machina.qmp;

/**
 * A QMP error reply: QEMU's error class ({@code QapiErrorClass}, qapi/error.json) and its {@code desc}.
 * Thrown by argument validation and by commands; the session turns it into
 * {@code {"id": ..., "error": {"class": ..., "desc": ...}}}.
 */
public final class QmpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** QEMU 7.2's error classes, spelled as on the wire. */
    public enum ErrorClass { GenericError, CommandNotFound, DeviceNotActive, DeviceNotFound, KVMMissingCap }

    private final ErrorClass errorClass;

    public QmpError(ErrorClass errorClass, String desc) {
        super(desc, null, false, false);
        this.errorClass = errorClass;
    }

    public static QmpError generic(String desc) {
        return new QmpError(ErrorClass.GenericError, desc);
    }

    public static QmpError deviceNotFound(String desc) {
        return new QmpError(ErrorClass.DeviceNotFound, desc);
    }

    public ErrorClass errorClass() {
        return errorClass;
    }

    public String desc() {
        return getMessage();
    }
}
