package dev.machina.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * QEMU's merging of repeated options: each merge-lists group ({@code -m}, {@code -machine},
 * {@code -smp}, ...) becomes one section at the place of the first, later keys replacing earlier ones
 * in place, as QEMU merges them. The first step of {@code config convert --resolved}; the effective
 * values themselves come from a dry run of the VM builder (ResolvedConfig in the vm package).
 */
public final class ConfigMerge {
    private ConfigMerge() {}

    /** The sections with every merge-lists group merged into its first occurrence. */
    public static List<Section> merge(VmConfig config) {
        List<Section> out = new ArrayList<>();
        Map<String, Integer> firstAt = new LinkedHashMap<>();
        for (Section s : config.sections()) {
            boolean merges = OptionGroups.find(s.group()).map(OptionGroup::mergeLists).orElse(false);
            if (!merges) {
                out.add(s);
                continue;
            }
            Integer at = firstAt.get(s.group());
            if (at == null) {
                firstAt.put(s.group(), out.size());
                out.add(s);
                continue;
            }
            Section target = out.get(at);
            for (Entry e : s.entries()) {
                target = target.with(e.key(), e.value(), e.origin());
            }
            out.set(at, target);
        }
        return out;
    }

    /** Whether a group is a flag (a section that means something without keys, {@code -nodefaults}). */
    public static boolean isFlag(String group) {
        return OptionGroups.find(group).map(OptionGroup::isFlag).orElse(false);
    }
}
