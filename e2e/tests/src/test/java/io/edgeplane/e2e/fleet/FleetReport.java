package io.edgeplane.e2e.fleet;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The figures as a table on the console, a CSV and a PNG of cost against fleet size. */
final class FleetReport {
    private static final List<String> PHASES = List.of("register", "deploy", "staged-update", "stop", "start");

    private FleetReport() {
    }

    /** The complete sizes' tables, then a line per size that did not fit, with what it reached and where the CPU went. */
    static String table(List<FleetFigures> figures) {
        List<FleetFigures> all = figures.stream().filter(FleetFigures::complete).toList();
        StringBuilder out = new StringBuilder();
        if (!all.isEmpty()) {
            completeTables(all, out);
        }
        for (FleetFigures f : figures) {
            if (!f.complete()) {
                out.append(String.format("%n%d devices over %d clusters did not fit: %s; registrations: mutate %s, seed CPU %.0f s%n",
                        f.devices(), f.clusters(), f.saturation().describe(), f.latencies().get("register").get(Latencies.Kind.mutate),
                        f.seedCpuSeconds().get("register")));
            }
        }
        return out.toString();
    }

    private static void completeTables(List<FleetFigures> all, StringBuilder out) {
        out.append(String.format("%-8s %-8s %-22s %-22s %-22s %-10s %-10s %-10s %-10s%n", "devices", "clusters", "Ready p50/p99/all s",
                "deploy p50/p99/all s", "staged p50/p99/all s", "stop s", "start s", "undeploy s", "lag max s"));
        for (FleetFigures f : all) {
            out.append(String.format("%-8d %-8d %-22s %-22s %-22s %-10.1f %-10.1f %-10.1f %-10.1f%n", f.devices(), f.clusters(),
                    spread(f, "register"), spread(f, "deploy"), spread(f, "staged-update"), f.phaseSeconds().get("stop"),
                    f.phaseSeconds().get("start"), f.phaseSeconds().get("undeploy"),
                    f.maxLagSeconds().values().stream().mapToDouble(Double::doubleValue).max().orElse(0)));
        }
        out.append(String.format("%n%-8s %-30s %-30s %-30s %-30s%n", "devices", "API during deploy: get", "list", "mutate (registering)", "API idle: list"));
        for (FleetFigures f : all) {
            Map<Latencies.Kind, Latencies.Summary> deploy = f.latencies().get("deploy");
            out.append(String.format("%-8d %-30s %-30s %-30s %-30s%n", f.devices(), deploy.get(Latencies.Kind.get), deploy.get(Latencies.Kind.list),
                    f.latencies().get("register").get(Latencies.Kind.mutate), f.idle().latencies().get(Latencies.Kind.list)));
        }
        out.append(String.format("%n%-8s %-12s %-12s %-12s %-12s %-12s %-12s %-14s %-14s %-14s%n", "devices", "idle cores", "per 1k dev",
                "heap MiB", "per 1k dev", "RSS MiB", "PG cores", "CP cores/MiB", "PG rows/dev", "PG KiB/dev"));
        for (FleetFigures f : all) {
            IdleFigures i = f.idle();
            out.append(String.format("%-8d %-12.3f %-12.3f %-12.0f %-12.1f %-12.0f %-12.3f %-14s %-14.1f %-14.1f%n", f.devices(), i.seedCores(),
                    f.idleCoresPerThousand(), i.heapMeanBytes() / 1048576.0, f.idleHeapMiBPerThousand(), i.seedRssBytes() / 1048576.0,
                    i.postgresCores(), String.format("%.2f/%.0f", i.controlPlaneCores(), i.controlPlaneRssBytes() / 1048576.0),
                    f.registered().rowsPerDevice() + f.deployed().rowsPerDevice(),
                    (f.registered().bytesPerDevice() + f.deployed().bytesPerDevice()) / 1024.0));
        }
        out.append(String.format("%n%-8s %s%n", "devices", "CPU per simulated agent status write (idle, heartbeat halved for a second window)"));
        for (FleetFigures f : all) {
            double[] perWrite = f.idle().millisPerWrite(f.idleFaster());
            out.append(String.format("%-8d %.0f -> %.0f writes/s: seed manager %.2f ms, PostgreSQL %.2f ms, control planes %.2f ms%n", f.devices(),
                    f.idle().agentWritesPerSecond(), f.idleFaster().agentWritesPerSecond(), perWrite[0], perWrite[1], perWrite[2]));
        }
        out.append(String.format("%n%-8s %s%n", "devices", "seed manager CPU seconds per phase"));
        for (FleetFigures f : all) {
            out.append(String.format("%-8d %s; simulated agent writes %d (%d refused)%n", f.devices(), f.seedCpuSeconds(),
                    f.agentWrites(), f.agentWriteFailures()));
        }
    }

    private static String spread(FleetFigures f, String phase) {
        return String.format("%.1f/%.1f/%.1f", f.perDevice(phase, 50), f.perDevice(phase, 99), f.phaseSeconds().getOrDefault(phase, Double.NaN));
    }

    /** figures.txt with every size; figures.csv and the plot with the complete ones. */
    static void write(List<FleetFigures> figures, FleetSettings settings) throws IOException {
        Files.writeString(settings.out().resolve("figures.txt"), table(figures));
        List<FleetFigures> all = figures.stream().filter(FleetFigures::complete).toList();
        StringBuilder csv = new StringBuilder("devices,clusters,ready_p50_s,ready_p99_s,ready_all_s,deploy_p50_s,deploy_p99_s,deploy_all_s,"
                + "staged_all_s,stop_s,start_s,undeploy_s,api_get_p99_ms,api_list_p99_ms,api_mutate_p99_ms,idle_seed_cores,idle_heap_mib,"
                + "seed_rss_mib,idle_postgres_cores,pg_rows_per_device,pg_bytes_per_device,idle_control_plane_cores,"
                + "write_cpu_ms_seed,write_cpu_ms_postgres,write_cpu_ms_control_planes\n");
        for (FleetFigures f : all) {
            Map<Latencies.Kind, Latencies.Summary> deploy = f.latencies().get("deploy");
            double[] perWrite = f.idle().millisPerWrite(f.idleFaster());
            csv.append(String.format("%d,%d,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.1f,%.1f,%.1f,%.4f,%.1f,%.1f,%.4f,%.2f,%.0f,%.4f,%.3f,%.3f,%.3f%n",
                    f.devices(), f.clusters(), f.perDevice("register", 50), f.perDevice("register", 99), f.phaseSeconds().get("register"),
                    f.perDevice("deploy", 50), f.perDevice("deploy", 99), f.phaseSeconds().get("deploy"), f.phaseSeconds().get("staged-update"),
                    f.phaseSeconds().get("stop"), f.phaseSeconds().get("start"), f.phaseSeconds().get("undeploy"),
                    deploy.get(Latencies.Kind.get).p99Millis(), deploy.get(Latencies.Kind.list).p99Millis(),
                    f.latencies().get("register").get(Latencies.Kind.mutate).p99Millis(), f.idle().seedCores(),
                    f.idle().heapMeanBytes() / 1048576.0, f.idle().seedRssBytes() / 1048576.0, f.idle().postgresCores(),
                    f.registered().rowsPerDevice() + f.deployed().rowsPerDevice(), f.registered().bytesPerDevice() + f.deployed().bytesPerDevice(),
                    f.idle().controlPlaneCores(), perWrite[0], perWrite[1], perWrite[2]));
        }
        Files.writeString(settings.out().resolve("figures.csv"), csv);
        if (!all.isEmpty()) {
            ImageIO.write(plot(all), "png", settings.out().resolve("fleet-cost.png").toFile());
        }
    }

    /** Idle CPU (cores) and heap (GiB) of the seed manager against the number of devices, log scale on x. */
    static BufferedImage plot(List<FleetFigures> all) {
        System.setProperty("java.awt.headless", "true");
        int width = 800;
        int height = 480;
        int left = 70;
        int right = 70;
        int top = 50;
        int bottom = 60;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("Seed manager while idle, against fleet size", left, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(left, top, width - left - right, height - top - bottom);
        double minX = Math.log10(all.stream().mapToInt(FleetFigures::devices).min().orElse(100));
        double maxX = Math.log10(all.stream().mapToInt(FleetFigures::devices).max().orElse(10000));
        if (maxX - minX < 1e-9) {
            minX -= 0.5;
            maxX += 0.5;
        }
        double cores = Math.max(1.0, all.stream().mapToDouble(f -> f.idle().seedCores()).max().orElse(1));
        double heap = Math.max(1.0, all.stream().mapToDouble(f -> f.idle().heapMeanBytes() / 1073741824.0).max().orElse(1));
        series(g, all, f -> f.idle().seedCores(), cores, minX, maxX, left, top, width - left - right, height - top - bottom, new Color(0x1f77b4));
        series(g, all, f -> f.idle().heapMeanBytes() / 1073741824.0, heap, minX, maxX, left, top, width - left - right, height - top - bottom,
                new Color(0xd62728));
        g.setColor(Color.BLACK);
        for (FleetFigures f : all) {
            int x = left + (int) ((Math.log10(f.devices()) - minX) / (maxX - minX) * (width - left - right));
            g.drawString(Integer.toString(f.devices()), x - 15, height - bottom + 18);
        }
        g.drawString("devices (log scale)", width / 2 - 50, height - 18);
        g.setColor(new Color(0x1f77b4));
        g.drawString(String.format("cores (0 - %.1f)", cores), 5, top - 8);
        g.setColor(new Color(0xd62728));
        g.drawString(String.format("heap GiB (0 - %.1f)", heap), width - right - 60, top - 8);
        g.dispose();
        return image;
    }

    private static void series(Graphics2D g, List<FleetFigures> all, ToDoubleFunction<FleetFigures> value, double max, double minX, double maxX,
                               int left, int top, int w, int h, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2.5f));
        int[] previous = null;
        for (FleetFigures f : all) {
            int x = left + (int) ((Math.log10(f.devices()) - minX) / (maxX - minX) * w);
            int y = top + h - (int) (value.applyAsDouble(f) / max * h);
            g.fillOval(x - 4, y - 4, 8, 8);
            if (previous != null) {
                g.drawLine(previous[0], previous[1], x, y);
            }
            previous = new int[]{x, y};
        }
    }
}
