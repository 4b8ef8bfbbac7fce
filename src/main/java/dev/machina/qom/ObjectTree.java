package dev.machina.qom;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The composition tree of one VM and the operations on it: create objects (applying global
 * properties), place them at QEMU's canonical paths, resolve paths, realize/unrealize/unparent.
 *
 * <pre>
 * /                                  root container
 * /machine                           the machine ({@link #setMachine})
 * /machine/peripheral/ID             devices with an id
 * /machine/peripheral-anon/device[N] devices without one
 * /machine/unattached/device[N]      objects the machine made itself
 * /objects/ID                        user-created objects (-object)
 * </pre>
 * The {@code N} in {@code device[N]} is the lowest free index in that container, as QEMU's
 * {@code device[*]} does; it is per tree, never global.
 */
public final class ObjectTree {
    /** QEMU's {@code id_wellformed}: a letter, then letters, digits, '-', '.', '_'. */
    private static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");

    private final TypeRegistry registry;
    private final GlobalProperties globals;
    private final QomObject root;
    private final QomObject objects;

    public ObjectTree(TypeRegistry registry, GlobalProperties globals) {
        this.registry = registry;
        this.globals = globals;
        this.root = newContainer();
        this.objects = newContainer();
        root.addChildInternal("objects", objects);
    }

    public TypeRegistry registry() { return registry; }
    public GlobalProperties globals() { return globals; }
    public QomObject root() { return root; }

    private QomObject newContainer() {
        QomObject c = new QomObject(registry.type("container"));
        c.attach(this);
        return c;
    }

    /** Whether {@code id} is a well-formed id. */
    public static boolean isWellFormedId(String id) {
        return ID.matcher(id).matches();
    }

    // -- creation and placement -----------------------------------------------------------------

    /**
     * Creates an unattached object of a concrete type: defaults first, then every matching global
     * property in order (compat, then user).
     */
    public QomObject create(String typeName) {
        ObjectType t = registry.type(typeName);
        if (t.isAbstract()) {
            throw new QomException(new QomError.AbstractType(t.name(), t.isInterface() ? "an interface" : "abstract"));
        }
        QomObject o = t.factory().create(t);
        o.attach(this);
        globals.apply(o);
        return o;
    }

    /** Installs the machine object at {@code /machine} with its standard containers. */
    public void setMachine(QomObject machine) {
        root.addChildInternal("machine", machine);
        for (String c : List.of("peripheral", "peripheral-anon", "unattached")) {
            machine.addChildInternal(c, newContainer());
        }
    }

    public Optional<QomObject> machine() {
        return Optional.ofNullable(root.children().get("machine"));
    }

    private QomObject machineContainer(String name) {
        QomObject m = machine().orElseThrow(() -> new QomException(new QomError.PathNotFound("/machine", null)));
        return m.children().get(name);
    }

    /** Places a user device at {@code /machine/peripheral/ID}, or {@code /machine/peripheral-anon/device[N]} when id is null. */
    public void addDevice(QomObject device, String id) {
        if (id == null) {
            addIndexed(machineContainer("peripheral-anon"), device);
        } else {
            checkId(id);
            addChild(machineContainer("peripheral"), id, device);
        }
    }

    /** Places an object the machine made itself at {@code /machine/unattached/device[N]}. */
    public void addUnattached(QomObject obj) {
        addIndexed(machineContainer("unattached"), obj);
    }

    /** Places a user-created object at {@code /objects/ID}. */
    public void addObject(QomObject obj, String id) {
        checkId(id);
        addChild(objects, id, obj);
    }

    /** Adds {@code child} as a {@code child<>} of {@code parent} under {@code name}. */
    public void addChild(QomObject parent, String name, QomObject child) {
        if (child.parent().isPresent()) {
            throw new QomException(new QomError.WrongState(child.path(), "re-parent", "already in the tree"));
        }
        if (child.state() == QomObject.State.FINALIZED) {
            throw new QomException(new QomError.WrongState(child.typeName(), "add", "unparented"));
        }
        parent.addChildInternal(name, child);
    }

    private void addIndexed(QomObject container, QomObject obj) {
        int n = 0;
        while (container.children().containsKey("device[" + n + "]")) {
            n++;
        }
        addChild(container, "device[" + n + "]", obj);
    }

    private static void checkId(String id) {
        if (!isWellFormedId(id)) {
            throw new QomException(new QomError.BadId(id));
        }
    }

    // -- lifecycle ------------------------------------------------------------------------------

    /**
     * Realizes an object and then its children. An object not yet in the tree goes to
     * {@code /machine/unattached} first, as QEMU does. If anything fails, what was realized is
     * unrealized again and the object is unparented: a failed realize leaves nothing registered.
     */
    public void realize(QomObject obj) {
        if (obj.state() != QomObject.State.CREATED) {
            throw new QomException(new QomError.WrongState(obj.where(), "realize", obj.state() == QomObject.State.REALIZED ? "already realized" : "unparented"));
        }
        if (obj.parent().isEmpty() && obj != root) {
            addUnattached(obj);
        }
        List<QomObject> done = new ArrayList<>();
        try {
            realizeRecursive(obj, done);
        } catch (QomException e) {
            for (int i = done.size() - 1; i >= 0; i--) {
                unrealizeOne(done.get(i));
            }
            unparent(obj);
            throw e;
        }
    }

    private void realizeRecursive(QomObject obj, List<QomObject> done) {
        if (obj.state() == QomObject.State.CREATED) {
            obj.onRealize();
            obj.setState(QomObject.State.REALIZED);
            done.add(obj);
        }
        for (QomObject c : obj.childList()) {
            realizeRecursive(c, done);
        }
    }

    /** Unrealizes an object's children (last first) and then the object. */
    public void unrealize(QomObject obj) {
        if (obj.state() != QomObject.State.REALIZED) {
            throw new QomException(new QomError.WrongState(obj.where(), "unrealize", obj.state() == QomObject.State.CREATED ? "not realized" : "unparented"));
        }
        unrealizeRecursive(obj);
    }

    private void unrealizeRecursive(QomObject obj) {
        List<QomObject> kids = obj.childList();
        for (int i = kids.size() - 1; i >= 0; i--) {
            unrealizeRecursive(kids.get(i));
        }
        unrealizeOne(obj);
    }

    private static void unrealizeOne(QomObject obj) {
        if (obj.state() == QomObject.State.REALIZED) {
            obj.onUnrealize();
            obj.setState(QomObject.State.CREATED);
        }
    }

    /** Removes an object and its children from the tree, unrealizing them first; they are dead afterwards. */
    public void unparent(QomObject obj) {
        if (obj == root) {
            throw new QomException(new QomError.WrongState("/", "unparent", "the root"));
        }
        if (obj.state() == QomObject.State.REALIZED) {
            unrealizeRecursive(obj);
        }
        for (QomObject c : obj.childList()) {
            unparent(c);
        }
        obj.parent().ifPresent(p -> p.removeChildInternal(obj));
        obj.setState(QomObject.State.FINALIZED);
    }

    // -- path resolution ------------------------------------------------------------------------

    /** Resolves an absolute or partial path (see {@link #resolve(String, String)}). */
    public QomObject resolve(String path) {
        return resolve(path, null);
    }

    /**
     * Resolves a path as QEMU's {@code object_resolve_path_type} does. An absolute path walks from the
     * root through {@code child<>} and {@code link<>} properties. A partial path (no leading '/')
     * matches wherever in the composition tree its components lead to an object of the wanted type;
     * if that happens in more than one place, the path is ambiguous and an error.
     */
    public QomObject resolve(String path, String typeName) {
        if (path.isEmpty()) {
            throw new QomException(new QomError.PathNotFound(path, typeName));
        }
        String[] parts = path.split("/", -1);
        if (path.startsWith("/")) {
            QomObject o = walk(root, parts, 1, typeName);
            if (o == null) {
                throw new QomException(new QomError.PathNotFound(path, typeName));
            }
            return o;
        }
        List<QomObject> found = new ArrayList<>();
        partial(root, parts, typeName, found);
        if (found.isEmpty()) {
            throw new QomException(new QomError.PathNotFound(path, typeName));
        }
        if (found.size() > 1) {
            throw new QomException(new QomError.AmbiguousPath(path, found.stream().map(QomObject::path).distinct().toList()));
        }
        return found.get(0);
    }

    /** Like {@link #resolve(String, String)} but empty when nothing (or more than one thing) matches. */
    public Optional<QomObject> tryResolve(String path, String typeName) {
        try {
            return Optional.of(resolve(path, typeName));
        } catch (QomException e) {
            return Optional.empty();
        }
    }

    private static QomObject walk(QomObject from, String[] parts, int i, String typeName) {
        QomObject cur = from;
        for (; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            QomObject next = cur.children().get(parts[i]);
            if (next == null) {
                next = cur.links().get(parts[i]);
            }
            if (next == null) {
                return null;
            }
            cur = next;
        }
        return typeName == null || cur.type().isA(typeName) ? cur : null;
    }

    private static void partial(QomObject node, String[] parts, String typeName, List<QomObject> found) {
        QomObject here = walk(node, parts, 0, typeName);
        if (here != null) {
            found.add(here);
        }
        for (Map.Entry<String, QomObject> c : node.children().entrySet()) {
            partial(c.getValue(), parts, typeName, found);
        }
    }

    /** Every object in the tree, depth first, parents before children. */
    public List<QomObject> walkAll() {
        List<QomObject> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(QomObject o, List<QomObject> out) {
        out.add(o);
        for (QomObject c : o.childList()) {
            collect(c, out);
        }
    }
}
