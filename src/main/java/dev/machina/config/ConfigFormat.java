package dev.machina.config;

import java.util.Locale;
import java.util.Optional;

/** The file formats a configuration can be read from and written to. */
public enum ConfigFormat {
    /** QEMU's {@code -readconfig} format. */
    CFG("cfg"),
    YAML("yaml"),
    JSON("json"),
    /** HOCON (Typesafe Config): includes and substitutions. */
    HOCON("hocon");

    private final String id;

    ConfigFormat(String id) {
        this.id = id;
    }

    /** The name users type: cfg, yaml, json, hocon. */
    public String id() {
        return id;
    }

    public static Optional<ConfigFormat> byId(String id) {
        for (ConfigFormat f : values()) {
            if (f.id.equals(id)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The format a file name's extension says: .cfg, .yaml/.yml, .json, .conf/.hocon. */
    public static Optional<ConfigFormat> byExtension(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".cfg")) {
            return Optional.of(CFG);
        }
        if (n.endsWith(".yaml") || n.endsWith(".yml")) {
            return Optional.of(YAML);
        }
        if (n.endsWith(".json")) {
            return Optional.of(JSON);
        }
        if (n.endsWith(".conf") || n.endsWith(".hocon")) {
            return Optional.of(HOCON);
        }
        return Optional.empty();
    }
}
