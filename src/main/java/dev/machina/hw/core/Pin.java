package dev.machina.hw.core;

/**
 * One GPIO pin of one device: the device's QOM path and the pin's QEMU name
 * ({@code unnamed-gpio-out[0]}, {@code sysbus-irq[2]}, {@code a20[0]}).
 */
public record Pin(String device, String name) {
    /** {@code name[index]}, or QEMU's {@code unnamed-gpio-in/out[index]} for a null name. */
    public static String name(String arrayName, boolean input, int index) {
        String n = arrayName != null ? arrayName : input ? "unnamed-gpio-in" : "unnamed-gpio-out";
        return n + "[" + index + "]";
    }

    // equals and hashCode written out: a record's own are an invokedynamic of ObjectMethods, linked at run time
    // (the JVM's ahead-of-time cache keeps none); the wiring keys a map by pins at every start
    @Override
    public boolean equals(Object o) {
        return o instanceof Pin p && device.equals(p.device) && name.equals(p.name);
    }

    @Override
    public int hashCode() {
        return 31 * device.hashCode() + name.hashCode();
    }

    @Override
    public String toString() {
        return device + " " + name;
    }
}
