package dev.machina.machine;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Where in the document a YAML error is, as an object path ({@code versions[0].compat}): SnakeYAML's
 * errors carry a line and column only. The parser's events are replayed up to the error, keeping
 * the mapping keys and sequence indexes of the nodes that are open. The replay also counts aliases
 * of lists and mappings, so an alias bomb is refused at the alias that crosses the limit, with its
 * path, before anything is expanded.
 */
final class YamlErrorPath {
    private YamlErrorPath() {}

    /** Where the replay stopped: the object path there, and the mark of the alias that crossed the limit (if that was why). */
    record Stop(String path, Mark aliasMark) {}

    /** One open collection: a mapping (expecting a key, or the value of {@code key}) or a sequence (at {@code index}). */
    private static final class Frame {
        final boolean map;
        boolean value;
        String key;
        int index;

        Frame(boolean map) {
            this.map = map;
        }
    }

    /**
     * Replays the events of {@code text} until the parser fails or more than {@code maxAliases}
     * aliases of collections are seen; returns where that happened, or null when neither did.
     */
    static Stop replay(String text, LoaderOptions opts, int maxAliases) {
        ParserImpl parser = new ParserImpl(new StreamReader(new StringReader(text)), opts);
        Deque<Frame> open = new ArrayDeque<>();
        Set<String> collectionAnchors = new HashSet<>();
        int aliases = 0;
        try {
            while (parser.peekEvent() != null) {
                Event e = parser.getEvent();
                if (e instanceof ScalarEvent) {
                    node(open, ((ScalarEvent) e).getValue());
                } else if (e instanceof AliasEvent a) {
                    if (collectionAnchors.contains(a.getAnchor()) && ++aliases > maxAliases) {
                        return new Stop(path(open), a.getStartMark());
                    }
                    node(open, "*" + a.getAnchor());
                } else if (e instanceof CollectionStartEvent c) {
                    if (c.getAnchor() != null) {
                        collectionAnchors.add(c.getAnchor());
                    }
                    open.push(new Frame(e instanceof MappingStartEvent));
                } else if (e.is(Event.ID.MappingEnd) || e.is(Event.ID.SequenceEnd)) {
                    open.pop();
                    node(open, "?");
                }
            }
        } catch (YAMLException | java.util.NoSuchElementException e) {
            return new Stop(path(open), null);
        }
        return null;
    }

    /** A complete node at the current position: a key (then the value is next), a value, or a sequence item. */
    private static void node(Deque<Frame> open, String scalar) {
        Frame f = open.peek();
        if (f == null) {
            return;
        }
        if (f.map) {
            if (f.value) {
                f.value = false;
                f.key = null;
            } else {
                f.value = true;
                f.key = scalar;
            }
        } else {
            f.index++;
        }
    }

    /** {@code a.b[2].c}: the keys and indexes of the open collections, outermost first. */
    private static String path(Deque<Frame> open) {
        StringBuilder b = new StringBuilder();
        for (Iterator<Frame> it = open.descendingIterator(); it.hasNext(); ) {
            Frame f = it.next();
            if (f.map) {
                if (f.value && f.key != null) {
                    b.append(b.length() == 0 ? "" : ".").append(f.key);
                }
            } else {
                b.append('[').append(f.index).append(']');
            }
        }
        return b.toString();
    }
}
