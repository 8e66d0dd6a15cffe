package io.edgeplane.e2e.fleet;

import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.KwokBinary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The crash and outage campaign (not a test; run on demand, about 25 minutes):
 * <pre>
 * mvn -B -q -DskipTests install
 * mvn -B -q -pl e2e/tests exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.edgeplane.e2e.fleet.FleetCampaign
 * </pre>
 * One seed manager ({@code java -jar}, embedded PostgreSQL, process runtime) and a fleet of
 * simulated devices, driven through the API while the seed manager is killed with {@code kill -9}
 * at random moments of cluster creations and deletions, device registrations and fleet-wide
 * deploys, updates, stops, starts and undeploys ({@link CampaignRun}); then PostgreSQL stopped and
 * started under it in the middle of an update, and a fifth of the devices cut off and restored.
 * After every round {@link CampaignChecks} looks for anything duplicated or lost. Knobs:
 * {@code EDGEPLANE_CAMPAIGN_DEVICES} (default 200, over two clusters), {@code EDGEPLANE_CAMPAIGN_SEED}
 * (the random seed, printed; default from the clock), {@code EDGEPLANE_CAMPAIGN_OUT} (default
 * {@code e2e/tests/target/fleet-campaign}); the simulation's rates are the benchmark's
 * ({@link FleetSettings}). Exits 1 when a check failed.
 */
public final class FleetCampaign {
    private FleetCampaign() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Path repository = FleetBenchmark.repository();
        FleetSettings settings = FleetSettings.fromEnvironment(env, repository,
                KubernetesBinaries.ensure().dir().getParent().getParent(), KwokBinary.ensure());
        int devices = FleetSettings.positive("EDGEPLANE_CAMPAIGN_DEVICES", env.getOrDefault("EDGEPLANE_CAMPAIGN_DEVICES", "200"));
        long seed = seed(env.getOrDefault("EDGEPLANE_CAMPAIGN_SEED", Long.toString(System.currentTimeMillis())));
        Path out = Path.of(env.getOrDefault("EDGEPLANE_CAMPAIGN_OUT", repository.resolve("e2e/tests/target/fleet-campaign").toString()))
                .toAbsolutePath();
        if (!Files.isRegularFile(settings.jar())) {
            throw new IllegalStateException(settings.jar() + " is missing: build it first (mvn -B -q -DskipTests install)");
        }
        System.out.printf("crash campaign: %d devices, random seed %d, output %s%n", devices, seed, out);
        List<CampaignRound> rounds = new CampaignRun(settings, devices, seed, out).run();
        StringBuilder report = new StringBuilder(String.format("crash campaign, %d devices, random seed %d%n", devices, seed));
        rounds.forEach(round -> {
            report.append(round.line()).append('\n');
            round.notes().forEach(note -> report.append("    ").append(note).append('\n'));
            round.problems().forEach(problem -> report.append("    PROBLEM ").append(problem).append('\n'));
        });
        int kills = rounds.stream().mapToInt(r -> r.killedAt().size()).sum();
        long failed = rounds.stream().filter(r -> !r.problems().isEmpty()).count();
        report.append(String.format("%d rounds, %d kills, %d round(s) with problems%n", rounds.size(), kills, failed));
        System.out.println();
        System.out.print(report);
        Files.writeString(out.resolve("campaign.txt"), report);
        System.exit(failed == 0 ? 0 : 1);
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("EDGEPLANE_CAMPAIGN_SEED: must be a whole number, not '" + value + "'");
        }
    }
}
