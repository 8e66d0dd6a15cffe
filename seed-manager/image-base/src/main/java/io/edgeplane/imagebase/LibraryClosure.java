package io.edgeplane.imagebase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks that every ELF file in a tree can be loaded from that tree alone: its interpreter exists and
 * each {@code DT_NEEDED} soname is found where the loader looks (the file's run paths, then the
 * default directories). A package left out of the list shows up here, at build time, instead of as
 * "error while loading shared libraries" in a pod.
 */
public final class LibraryClosure {

    /** One missing piece: the file that needs it and what it needs. */
    public record Missing(String file, String soname) {
    }

    private LibraryClosure() {
    }

    /**
     * Every unresolved interpreter or soname, sorted by file. {@code preloaded} names sonames a program
     * loads itself before anything needs them, with the path it loads them from (the java launcher
     * opens {@code lib/server/libjvm.so}, which the JRE's other libraries then need by soname).
     */
    public static List<Missing> check(RootFs tree, Map<String, String> preloaded) throws IOException {
        List<Missing> missing = new ArrayList<>();
        preloaded.forEach((soname, path) -> {
            if (tree.resolve(path).isEmpty()) {
                missing.add(new Missing(path, soname));
            }
        });
        for (Map.Entry<String, RootFs.Node> e : tree.nodes().entrySet()) {
            if (!(e.getValue() instanceof RootFs.RegularFile file) || !ElfFile.isElf(file.content())) {
                continue;
            }
            ElfFile elf = ElfFile.read(file.content());
            String path = e.getKey();
            elf.interpreter().filter(interp -> tree.resolve(interp).isEmpty())
                    .ifPresent(interp -> missing.add(new Missing(path, interp)));
            for (String soname : elf.needed()) {
                if (!preloaded.containsKey(soname) && find(tree, path, elf, soname).isEmpty()) {
                    missing.add(new Missing(path, soname));
                }
            }
        }
        return missing;
    }

    /** The failure message: each missing soname once, with the files that need it. */
    public static String describe(List<Missing> missing) {
        Map<String, TreeSet<String>> bySoname = new TreeMap<>();
        missing.forEach(m -> bySoname.computeIfAbsent(m.soname(), k -> new TreeSet<>()).add("/" + m.file()));
        StringBuilder text = new StringBuilder("the base image cannot load these shared libraries:");
        bySoname.forEach((soname, files) -> text.append("\n  ").append(soname).append(" needed by ")
                .append(String.join(", ", files)));
        return text.toString();
    }

    private static Optional<String> find(RootFs tree, String path, ElfFile elf, String soname) {
        if (soname.contains("/")) {
            return tree.resolve(soname);
        }
        String origin = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
        List<String> dirs = new ArrayList<>();
        for (String runPath : elf.runPaths()) {
            dirs.add(runPath.replace("${ORIGIN}", "/" + origin).replace("$ORIGIN", "/" + origin));
        }
        // glibc's built-in search list on Debian (no ld.so.cache is generated in the image).
        String triplet = elf.multiarchTriplet();
        dirs.addAll(List.of("/lib/" + triplet, "/usr/lib/" + triplet, "/lib", "/usr/lib"));
        for (String dir : dirs) {
            Optional<String> hit = tree.resolve(dir + "/" + soname);
            if (hit.isPresent() && tree.get(hit.get()).orElse(null) instanceof RootFs.RegularFile) {
                return hit;
            }
        }
        return Optional.empty();
    }
}
