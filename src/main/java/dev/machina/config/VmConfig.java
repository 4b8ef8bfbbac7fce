package dev.machina.config;

import java.util.List;

/**
 * A VM configuration: the sections in the order they were given (command-line options in argv order,
 * files in place of their {@code -readconfig}). It holds what the user wrote; merging of repeated
 * options and defaults are views computed from it ({@link ConfigResolver}).
 *
 * @param sections the sections, in order
 * @param trailing comment and blank lines after the last entry of a cfg file, verbatim
 */
public record VmConfig(List<Section> sections, List<String> trailing) {
    public VmConfig {
        sections = List.copyOf(sections);
        trailing = List.copyOf(trailing);
    }

    public static final VmConfig EMPTY = new VmConfig(List.of(), List.of());

    public static VmConfig of(List<Section> sections) {
        return new VmConfig(sections, List.of());
    }

    /** The sections of one group, in order. */
    public List<Section> sections(String group) {
        return sections.stream().filter(s -> s.group().equals(group)).toList();
    }

    public VmConfig withTrailing(List<String> lines) {
        return new VmConfig(sections, lines);
    }

    /** Groups, ids, keys and values only, without origins and layout. */
    public VmConfig content() {
        return new VmConfig(sections.stream().map(Section::content).toList(), List.of());
    }
}
