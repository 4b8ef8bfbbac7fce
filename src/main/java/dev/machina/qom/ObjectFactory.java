package dev.machina.qom;

/** Makes the Java object behind a QOM type; a type without one inherits its parent's. */
@FunctionalInterface
public interface ObjectFactory {
    QomObject create(ObjectType type);
}
