package dev.machina.hw.core;

/**
 * What a bus lends a device model for time: the clock and a way to make timers on it. The run
 * loop implements it with a timer queue; tests with a fake clock they advance by hand.
 */
public interface Timers {
    Clock clock();

    /** A new unarmed timer; {@code name} is for diagnostics (QOM path and purpose). */
    Timer newTimer(String name, Runnable onExpire);
}
