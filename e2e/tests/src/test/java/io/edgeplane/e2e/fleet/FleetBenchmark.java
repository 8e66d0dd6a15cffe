package io.edgeplane.e2e.fleet;

import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.KwokBinary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fleets of simulated devices through the product's own API (not a test; run on demand):
 * <pre>
 * mvn -B -q -DskipTests install
 * mvn -B -q -pl e2e/tests exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.edgeplane.e2e.fleet.FleetBenchmark
 * </pre>
 * For each size in {@code EDGEPLANE_FLEET_SIZES} (see {@link FleetSettings} for every knob): a
 * fresh seed manager ({@code java -jar}, embedded PostgreSQL, process runtime), its clusters, the
 * devices registered and Ready, an idle window, a workload on every device, a staged update
 * applied to all, a stop, a start and an undeploy ({@link FleetRun}); a size whose devices are not all Ready in time did not fit,
 * is reported with its {@link Saturation}, and ends the run. Prints the figures per size
 * and writes them with a plot of cost against fleet size to {@code EDGEPLANE_FLEET_OUT}.
 */
public final class FleetBenchmark {
    private FleetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path repository = repository();
        FleetSettings settings = FleetSettings.fromEnvironment(System.getenv(), repository,
                KubernetesBinaries.ensure().dir().getParent().getParent(), KwokBinary.ensure());
        if (!Files.isRegularFile(settings.jar())) {
            throw new IllegalStateException(settings.jar() + " is missing: build it first (mvn -B -q -DskipTests install)");
        }
        Files.createDirectories(settings.out());
        List<FleetFigures> figures = new ArrayList<>();
        for (int size : settings.sizes()) {
            FleetFigures measured = new FleetRun(settings, size).run();
            figures.add(measured);
            FleetReport.write(figures, settings);   // what was measured survives a later size that fails
            if (!measured.complete()) {
                System.out.println("larger sizes skipped: " + size + " devices already did not fit this machine");
                break;
            }
        }
        System.out.println();
        System.out.print(FleetReport.table(figures));
        System.out.println("figures and plot in " + settings.out());
        System.exit(0);   // informer and client threads of the simulation are daemons, but the HTTP client's are not
    }

    static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("seed-manager/server/pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run from inside the repository");
        }
        return dir;
    }
}
