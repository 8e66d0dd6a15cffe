package io.edgeplane.seedmanager.datacenter;

/**
 * Dotted field paths as operators read them: {@code spec.datacenters.store-1.node.noProxy[2]};
 * the document root is the empty string.
 */
final class FieldPath {

    static final String ROOT = "";

    private FieldPath() {
    }

    static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    static String item(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The enclosing path, or {@link #ROOT}; a name that itself contains '.' may cut short, which only costs line precision. */
    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? ROOT : path.substring(0, cut);
    }
}
