package dev.machina.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.machina.hw.core.InvalidStateException;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.dma.I8237;
import dev.machina.hw.input.I8042;
import dev.machina.hw.intc.I8259;
import dev.machina.hw.intc.IoApic;
import dev.machina.hw.intc.LocalApic;
import dev.machina.hw.misc.Port80;
import dev.machina.hw.rtc.Mc146818;
import dev.machina.hw.serial.Uart16550;
import dev.machina.hw.timer.Hpet;
import dev.machina.hw.timer.I8254;
import dev.machina.hw.timer.PcSpeaker;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The same checks over every ISA/interrupt/timer model: reset twice gives the same state; a
 * snapshot restores into a fresh model and saves back equal; a snapshot of a newer version is
 * refused with an {@link InvalidStateException} naming the version, before anything changes.
 * Each model is first driven away from its reset state, so the checks see real state.
 */
class IsaModelsConformanceTest {
    /** One model: how to make it on a clock, drive it, reset it, save and restore it. */
    private record Model<M, S extends Record>(String name, Function<FakeTimers, M> make, Consumer<M> exercise,
            Consumer<M> reset, Function<M, S> save, java.util.function.BiConsumer<M, S> restore) {}

    private static final IrqLine NONE = IrqLine.none();

    private static List<Model<?, ?>> models() {
        return List.of(
                new Model<I8259, I8259.State>("i8259", t -> new I8259(true, 0xF8, NONE), m -> {
                    m.write(0, 0x11);
                    m.write(1, 0x20);
                    m.write(1, 0x04);
                    m.write(1, 0x01);
                    m.writeElcr(0x08);
                    m.setIrq(3, true);
                }, I8259::reset, I8259::save, I8259::restore),
                new Model<I8254, I8254.State>("i8254", t -> new I8254(NONE, t), m -> {
                    m.write(3, 0x34);
                    m.write(0, 0x9C);
                    m.write(0, 0x2E);
                    m.write(3, 0xE2);
                }, I8254::reset, I8254::save, I8254::restore),
                new Model<PcSpeaker, PcSpeaker.State>("isa-pcspk", t -> new PcSpeaker(new I8254(NONE, t)),
                        m -> m.write(0x03), PcSpeaker::reset, PcSpeaker::save, PcSpeaker::restore),
                new Model<Mc146818, dev.machina.hw.rtc.Mc146818State>("mc146818rtc",
                        t -> new Mc146818(NONE, t, 1_700_000_000L, 0), m -> {
                            m.write(0, 0x0B);
                            m.write(1, 0x52);
                            m.write(0, 0x40);
                            m.write(1, 0x99);
                        }, Mc146818::reset, Mc146818::save, Mc146818::restore),
                new Model<Uart16550, dev.machina.hw.serial.Uart16550State>("serial",
                        t -> new Uart16550(NONE, b -> { }, t, 115200), m -> {
                            m.write(2, 0xC7);
                            m.write(1, 0x0F);
                            m.receive('x');
                        }, Uart16550::reset, Uart16550::save, Uart16550::restore),
                new Model<I8042, dev.machina.hw.input.I8042State>("i8042", t -> new I8042(NONE, NONE, NONE, NONE), m -> {
                    m.writeData(0xF2);
                    m.writeCommand(0xD4);
                    m.writeData(0xF2);
                    m.keyboard().key(0x1E, true);
                }, I8042::reset, I8042::save, I8042::restore),
                new Model<I8237, I8237.State>("i8257", t -> new I8237(1), m -> {
                    m.writeControl(3, 0xC0);
                    m.writeChannel(0, 0x12);
                    m.writePage(1, 0x34);
                }, I8237::reset, I8237::save, I8237::restore),
                new Model<Port80, Port80.State>("ioport80", t -> new Port80(), m -> m.write(0x42), Port80::reset,
                        Port80::save, Port80::restore),
                new Model<IoApic, IoApic.State>("ioapic", t -> new IoApic((a, d) -> { }, t, () -> 0, 0x20), m -> {
                    m.write(0, 4, 0x12);
                    m.write(0x10, 4, 0xA031);
                    m.setIrq(1, true);
                }, IoApic::reset, IoApic::save, IoApic::restore),
                new Model<LocalApic, dev.machina.hw.intc.LocalApicState>("apic",
                        t -> new LocalApic(NONE, NONE, t, () -> 0, v -> { }, 0, 0x14, true, new LocalApic.Events() { }),
                        m -> {
                            m.write(0xF0, 4, 0x1FF);
                            m.write(0x320, 4, 0x20030);
                            m.write(0x380, 4, 1000);
                            m.msi(0xFEE00000L, 0x41);
                        }, LocalApic::reset, LocalApic::save, LocalApic::restore),
                new Model<Hpet, dev.machina.hw.timer.HpetState>("hpet",
                        t -> new Hpet(new IrqLine[Hpet.ROUTES], NONE, (a, d) -> { }, t, 3, 4, false), m -> {
                            m.write(0x100, 4, 0x4c);
                            m.write(0x108, 4, 1000);
                            m.write(0x10, 4, 3);
                        }, Hpet::reset, Hpet::save, Hpet::restore));
    }

    @TestFactory
    Stream<DynamicContainer> everyModelConforms() {
        return models().stream().map(IsaModelsConformanceTest::checks);
    }

    private static <M, S extends Record> DynamicContainer checks(Model<M, S> m) {
        return DynamicContainer.dynamicContainer(m.name(), Stream.of(
                DynamicTest.dynamicTest("reset twice gives the same state", () -> {
                    FakeTimers t = new FakeTimers();
                    M model = m.make().apply(t);
                    m.exercise().accept(model);
                    t.advance(1_234_567);
                    m.reset().accept(model);
                    S once = m.save().apply(model);
                    m.reset().accept(model);
                    assertEquals(once, m.save().apply(model));
                }),
                DynamicTest.dynamicTest("save, restore, save is equal", () -> {
                    FakeTimers t = new FakeTimers();
                    M model = m.make().apply(t);
                    m.exercise().accept(model);
                    t.advance(7_654_321);
                    S saved = m.save().apply(model);
                    M fresh = m.make().apply(new FakeTimers(t.now()));
                    m.restore().accept(fresh, saved);
                    assertEquals(saved, m.save().apply(fresh));
                }),
                DynamicTest.dynamicTest("a newer version is refused and changes nothing", () -> {
                    FakeTimers t = new FakeTimers();
                    M model = m.make().apply(t);
                    m.exercise().accept(model);
                    S saved = m.save().apply(model);
                    M fresh = m.make().apply(new FakeTimers(t.now()));
                    S before = m.save().apply(fresh);
                    S future = withVersion(saved, versionOf(saved) + 1);
                    var e = assertThrows(InvalidStateException.class, () -> m.restore().accept(fresh, future));
                    assertEquals("version", e.field());
                    assertEquals(before, m.save().apply(fresh));
                })));
    }

    private static int versionOf(Record r) {
        try {
            return (int) r.getClass().getMethod("version").invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(r.getClass() + " has no version component", e);
        }
    }

    /** A copy of state record {@code r} with another version (the rest unchanged). */
    @SuppressWarnings("unchecked")
    private static <S extends Record> S withVersion(S r, int version) {
        try {
            RecordComponent[] cs = r.getClass().getRecordComponents();
            Object[] args = new Object[cs.length];
            Class<?>[] types = new Class<?>[cs.length];
            for (int i = 0; i < cs.length; i++) {
                types[i] = cs[i].getType();
                args[i] = cs[i].getName().equals("version") ? version : cs[i].getAccessor().invoke(r);
            }
            return (S) r.getClass().getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
