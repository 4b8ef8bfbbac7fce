package dev.machina.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A composition tree QEMU 7.2 reported (tools/qemu72/graphs/MACHINE.json, recorded by
 * tools/qemu72/collect.py with qom-list/qom-get over QMP): every object under /machine with its type,
 * its values, its links and its children.
 */
record QemuGraph(String machine, Map<String, JsonNode> objects) {
    static QemuGraph read(String machine) {
        Path p = Path.of("tools/qemu72/graphs", machine + ".json");
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(p));
            Map<String, JsonNode> objects = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.get("objects").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                objects.put(e.getKey(), e.getValue());
            }
            return new QemuGraph(machine, objects);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String type(String path) {
        return objects.get(path).get("type").asText();
    }
}
