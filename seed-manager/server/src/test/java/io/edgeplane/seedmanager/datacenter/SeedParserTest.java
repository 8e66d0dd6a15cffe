package io.edgeplane.seedmanager.datacenter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** One test per kind of bad input; each pins the field path and the line operators are sent to. */
class SeedParserTest {

    private static final String FILE = "seed.yaml";
    private static final String DNS_LABEL_RULE =
            "must be a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit";

    private final SeedParser parser = new SeedParser();

    @Test
    void shippedExampleIsValidAndServesTwoEdgeDatacenters() throws IOException {
        byte[] shipped;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("edgeplane/datacenters/seed.yaml")) {
            assertThat(in).as("datacenters/seed.yaml on the classpath").isNotNull();
            shipped = in.readAllBytes();
        }

        SeedParseResult result = parser.parse(shipped, "datacenters/seed.yaml");

        assertThat(result.problems()).isEmpty();
        Seed seed = result.orElseThrow();
        assertThat(seed.exposeStrategy()).isEqualTo(ExposeStrategy.HOST_PORT);
        assertThat(seed.externalAddress()).isEqualTo("127.0.0.1");
        assertThat(seed.datacenters()).extracting(Datacenter::name).containsExactly("store-hamburg-01", "factory-bremen");
        assertThat(seed.datacenters()).extracting(Datacenter::provider).containsOnly(DatacenterProvider.EDGE);
        assertThat(seed.datacenter("factory-bremen").orElseThrow().node().insecureRegistries())
                .containsExactly("registry.plant-2.example.com:5000");
    }

    @Test
    void minimalSeedGetsDefaults() {
        Seed seed = parser.parse(Path.of("src/test/resources/seeds/minimal.yaml")).orElseThrow();

        assertThat(seed.name()).isEqualTo("test-seed");
        assertThat(seed.exposeStrategy()).isEqualTo(ExposeStrategy.HOST_PORT);
        Datacenter store = seed.datacenter("store-a").orElseThrow();
        assertThat(store.node()).isEqualTo(NodeSettings.NONE);
        assertThat(store.requiredEmails()).isEmpty();
        assertThat(store.enforceAuditLogging()).isFalse();
        assertThat(store.provider().supportsClusters()).isTrue();
    }

    @Test
    void bringYourOwnDatacenterIsAcceptedButCannotHostClusters() {
        String yaml = seed("""
                    byo-1:
                      country: US
                      location: Los Angeles
                      spec:
                        bringyourown: {}
                        requiredEmails: [example.com]
                        enforceAuditLogging: true
                """);

        Datacenter byo = parser.parse(yaml, FILE).orElseThrow().datacenter("byo-1").orElseThrow();

        assertThat(byo.provider()).isEqualTo(DatacenterProvider.BRING_YOUR_OWN);
        assertThat(byo.provider().supportsClusters()).isFalse();
        assertThat(byo.requiredEmails()).containsExactly("example.com");
        assertThat(byo.enforceAuditLogging()).isTrue();
    }

    @Test
    void unknownTopLevelField() {
        String yaml = seed(STORE_A) + "colour: red\n";

        assertThat(problems(yaml)).containsExactly(new SeedProblem(FILE, lineOf(yaml, "colour: red"), "colour",
                "unknown field \"colour\" (known fields: apiVersion, kind, metadata, spec)"));
    }

    @Test
    void unknownFieldInDatacenter() {
        String yaml = seed("""
                    store-a:
                      country: DE
                      location: Hamburg
                      colour: blue
                      spec:
                        edge: {}
                """);

        assertThat(problems(yaml)).containsExactly(new SeedProblem(FILE, lineOf(yaml, "colour: blue"),
                "spec.datacenters.store-a.colour",
                "unknown field \"colour\" (known fields: country, location, node, spec)"));
    }

    @Test
    void unknownFieldInNodeSettings() {
        String yaml = seed("""
                    store-a:
                      country: DE
                      location: Hamburg
                      node:
                        httpsProxy: https://proxy.example.com
                      spec:
                        edge: {}
                """);

        assertThat(problems(yaml)).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("spec.datacenters.store-a.node.httpsProxy");
            assertThat(problem.line()).isEqualTo(lineOf(yaml, "httpsProxy:"));
            assertThat(problem.message()).startsWith("unknown field \"httpsProxy\"").contains("httpProxy");
        });
    }

    @Test
    void providerTakesNoSettings() {
        String yaml = seed("""
                    store-a:
                      country: DE
                      location: Hamburg
                      spec:
                        edge: {sshPort: 22}
                """);

        assertThat(problems(yaml)).containsExactly(new SeedProblem(FILE, lineOf(yaml, "edge:"),
                "spec.datacenters.store-a.spec.edge.sshPort", "unknown field \"sshPort\" (this takes no fields; write {})"));
    }

    @Test
    void wrongType() {
        String yaml = seed("""
                    store-a:
                      country: 49
                      location: Hamburg
                      spec:
                        edge: {}
                """);

        int line = lineOf(yaml, "country: 49");
        assertThat(problems(yaml)).containsExactly(
                new SeedProblem(FILE, line, "spec.datacenters.store-a.country", "must be a string"));
        assertThat(problems(yaml).get(0)).hasToString("seed.yaml:" + line + ": spec.datacenters.store-a.country: must be a string");
    }

    @Test
    void wrongTypeOfList() {
        String yaml = seed("""
                    store-a:
                      country: DE
                      location: Hamburg
                      node:
                        noProxy: localhost
                      spec:
                        edge: {}
                """);

        assertThat(problems(yaml)).containsExactly(new SeedProblem(FILE, lineOf(yaml, "noProxy: localhost"),
                "spec.datacenters.store-a.node.noProxy", "must be a list"));
    }

    @Test
    void missingRequiredFieldIsReportedOnItsParent() {
        String yaml = seed("""
                    store-a:
                      location: Hamburg
                      spec:
                        edge: {}
                """);

        assertThat(problems(yaml)).containsExactly(new SeedProblem(FILE, lineOf(yaml, "store-a:"),
                "spec.datacenters.store-a.country", "required field is missing"));
    }

    @Test
    void datacenterWithoutProvider() {
        String yaml = seed("""
                    store-a:
                      country: DE
                      location: Hamburg
                      spec:
                        requiredEmails: [example.com]
                """);

        assertThat(problems(yaml)).containsExactly(new SeedProblem(FILE, lineOf(yaml, "  spec:\n        requiredEmails"),
                "spec.datacenters.store-a.spec", "no provider: set exactly one of edge, bringyourown"));
    }

    @Test
    void datacenterWithTwoProviders() {
        String yaml = seed("""
                    store-a:
                      country: DE
                      location: Hamburg
                      spec:
                        edge: {}
                        bringyourown: {}
                """);

        assertThat(problems(yaml)).containsExactly(new SeedProblem(FILE, lineOf(yaml, "  spec:\n        edge"),
                "spec.datacenters.store-a.spec", "more than one provider (edge, bringyourown): set exactly one"));
    }

    @Test
    void providerWithoutValueSaysHowToWriteIt() {
        String yaml = seed("""
                    store-a:
                      country: DE
                      location: Hamburg
                      spec:
                        edge:
                """);

        assertThat(problems(yaml)).containsExactly(new SeedProblem(FILE, lineOf(yaml, "edge:"),
                "spec.datacenters.store-a.spec.edge", "must be an object, but has no value (write {} for an empty one)"));
    }

    @Test
    void duplicateDatacenterNameIsReportedAtTheSecondOccurrence() {
        String yaml = seed("""
                    store-a:
                      country: DE
                      location: Hamburg
                      spec:
                        edge: {}
                    store-a:
                      country: DE
                      location: Altona
                      spec:
                        edge: {}
                """);

        int first = lineOf(yaml, "store-a:\n      country: DE\n      location: Hamburg");
        int second = lineOf(yaml, "store-a:\n      country: DE\n      location: Altona");
        assertThat(problems(yaml)).containsExactly(new SeedProblem(FILE, second, "spec.datacenters.store-a",
                "duplicate key: already defined on line " + first));
    }

    @Test
    void everyDuplicateKeyIsReported() {
        String yaml = seed("""
                    store-a:
                      country: DE
                      country: AT
                      location: Hamburg
                      location: Wien
                      spec:
                        edge: {}
                """);

        assertThat(problems(yaml)).extracting(SeedProblem::line, SeedProblem::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(lineOf(yaml, "country: AT"), "spec.datacenters.store-a.country"),
                org.assertj.core.groups.Tuple.tuple(lineOf(yaml, "location: Wien"), "spec.datacenters.store-a.location"));
    }

    @Test
    void datacenterNameMustBeDnsLabel() {
        String yaml = seed("""
                    Store_A:
                      country: DE
                      location: Hamburg
                      spec:
                        edge: {}
                """);

        assertThat(problems(yaml)).containsExactly(new SeedProblem(FILE, lineOf(yaml, "Store_A:"),
                "spec.datacenters.Store_A", "invalid datacenter name: " + DNS_LABEL_RULE));
    }

    @Test
    void metadataNameMustBeDnsLabel() {
        String yaml = seed(STORE_A).replace("name: test-seed", "name: " + "a".repeat(64));

        assertThat(problems(yaml)).containsExactly(new SeedProblem(FILE, lineOf(yaml, "name: aaa"),
                "metadata.name", DNS_LABEL_RULE + " (got \"" + "a".repeat(64) + "\")"));
    }

    @Test
    void externalAddressMustBeHostOrIpWithoutScheme() {
        String yaml = seed(STORE_A).replace("externalAddress: 127.0.0.1", "externalAddress: https://seed.example.com:6443");

        assertThat(problems(yaml)).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("spec.externalAddress");
            assertThat(problem.line()).isEqualTo(lineOf(yaml, "externalAddress:"));
            assertThat(problem.message()).startsWith("must be a host name or IP address");
        });
    }

    @Test
    void registryMirrorMustBeHttpUrl() {
        String yaml = seed("""
                    store-a:
                      country: DE
                      location: Hamburg
                      node:
                        registryMirrors:
                          - https://mirror.example.com
                          - mirror.example.com
                      spec:
                        edge: {}
                """);

        assertThat(problems(yaml)).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("spec.datacenters.store-a.node.registryMirrors[1]");
            assertThat(problem.line()).isEqualTo(lineOf(yaml, "- mirror.example.com"));
        });
    }

    @Test
    void exposeStrategyMustBeKnown() {
        String yaml = seed(STORE_A).replace("exposeStrategy: HostPort", "exposeStrategy: Ingress");

        assertThat(problems(yaml)).containsExactly(new SeedProblem(FILE, lineOf(yaml, "exposeStrategy:"),
                "spec.exposeStrategy", "must be one of NodePort, LoadBalancer, HostPort (got \"Ingress\")"));
    }

    @Test
    void malformedYamlUnclosedQuote() {
        String yaml = """
                apiVersion: edgeplane.io/v1alpha1
                kind: Seed
                metadata:
                  name: 'test-seed
                spec: {}
                """;

        assertThat(problems(yaml)).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEmpty();
            // The scanner only notices at the end of the file; the problem points back to the quote.
            assertThat(problem.line()).isEqualTo(lineOf(yaml, "name: 'test-seed"));
            assertThat(problem.message()).isEqualTo("invalid YAML: the quoted value that starts on this line is never closed");
        });
    }

    @Test
    void malformedYamlBadIndentation() {
        String yaml = """
                apiVersion: edgeplane.io/v1alpha1
                kind: Seed
                metadata:
                    name: test-seed
                  labels: {}
                """;

        assertThat(problems(yaml)).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEmpty();
            assertThat(problem.line()).isEqualTo(lineOf(yaml, "labels:"));
            assertThat(problem.message()).startsWith("invalid YAML: ").endsWith("; check the indentation");
        });
    }

    @Test
    void emptyFile() {
        SeedProblem expected = new SeedProblem(FILE, 1, "", "the file is empty: expected a Seed with apiVersion, kind, metadata and spec");

        assertThat(problems("")).containsExactly(expected);
        assertThat(problems("# nothing here yet\n\n")).containsExactly(expected);
        assertThat(expected).hasToString("seed.yaml:1: the file is empty: expected a Seed with apiVersion, kind, metadata and spec");
    }

    @Test
    void moreThanOneDocument() {
        String yaml = seed(STORE_A) + "---\nkind: Seed\n";

        assertThat(problems(yaml)).containsExactly(new SeedProblem(FILE, lineOf(yaml, "---"), "",
                "the file holds more than one YAML document; a Seed file holds exactly one"));
    }

    @Test
    void yaml11BooleanWordsStayText() {
        String yaml = seed(STORE_A).replace("country: DE\n  location", "country: NO\n  location");

        assertThat(parser.parse(yaml, FILE).orElseThrow().country()).isEqualTo("NO");
    }

    @Test
    void documentMustBeAMapping() {
        assertThat(problems("- edge\n- factory\n")).containsExactly(new SeedProblem(FILE, 1, "",
                "the document must be a mapping with apiVersion, kind, metadata and spec, not a list"));
    }

    @Test
    void wrongKind() {
        String yaml = seed(STORE_A).replace("kind: Seed", "kind: Cluster");

        assertThat(problems(yaml)).containsExactly(
                new SeedProblem(FILE, lineOf(yaml, "kind:"), "kind", "must be Seed (got \"Cluster\")"));
    }

    @Test
    void wrongApiVersion() {
        String yaml = seed(STORE_A).replace("apiVersion: edgeplane.io/v1alpha1", "apiVersion: kubermatic.k8c.io/v1");

        assertThat(problems(yaml)).containsExactly(new SeedProblem(FILE, lineOf(yaml, "apiVersion:"),
                "apiVersion", "must be edgeplane.io/v1alpha1 (got \"kubermatic.k8c.io/v1\")"));
    }

    @Test
    void reportsEveryProblemOfTheFileSortedByLine() {
        SeedParseResult result = parser.parse(Path.of("src/test/resources/seeds/many-problems.yaml"));
        String file = Path.of("src/test/resources/seeds/many-problems.yaml").toString();

        assertThat(result.isValid()).isFalse();
        assertThat(result.problems()).extracting(SeedProblem::file).containsOnly(file);
        assertThat(result.problems()).extracting(p -> p.line() + " " + p.field()).containsExactly(
                "5 metadata.name",
                "6 spec.location",
                "8 spec.externalAddress",
                "9 spec.exposeStrategy",
                "12 spec.datacenters.store-a.country",
                "14 spec.datacenters.store-a.spec",
                "15 spec.datacenters.factory-b.country",
                "17 spec.datacenters.factory-b.colour",
                "18 spec.datacenters.factory-b.spec",
                "21 spec.datacenters.store-a");
    }

    @Test
    void missingFileIsOneProblemAboutTheWholeFile(@TempDir Path dir) {
        Path missing = dir.resolve("seed.yaml");

        SeedParseResult result = parser.parse(missing);

        assertThat(result.problems()).containsExactly(new SeedProblem(missing.toString(), 0, "", "cannot read the file: no such file"));
        assertThat(result.problems().get(0)).hasToString(missing + ": cannot read the file: no such file");
    }

    private static final String STORE_A = """
                store-a:
                  country: DE
                  location: Hamburg
                  spec:
                    edge: {}
            """;

    /** A valid seed around the given datacenters block (indented as under spec.datacenters). */
    private static String seed(String datacenters) {
        return """
                apiVersion: edgeplane.io/v1alpha1
                kind: Seed
                metadata:
                  name: test-seed
                spec:
                  country: DE
                  location: Hamburg
                  exposeStrategy: HostPort
                  externalAddress: 127.0.0.1
                  datacenters:
                """ + datacenters;
    }

    private java.util.List<SeedProblem> problems(String yaml) {
        SeedParseResult result = parser.parse(yaml, FILE);
        assertThat(result.isValid()).as("expected problems in:%n%s", yaml).isFalse();
        return result.problems();
    }

    /** 1-based line on which the (unique) snippet starts, so expectations read as "the line of colour: blue". */
    private static int lineOf(String yaml, String snippet) {
        int at = yaml.indexOf(snippet);
        assertThat(at).as("snippet %s", snippet).isNotNegative();
        assertThat(yaml.indexOf(snippet, at + 1)).as("snippet %s is ambiguous", snippet).isNegative();
        int lineStart = yaml.lastIndexOf('\n', at) + 1;
        // Snippets may start mid-line (e.g. after indentation); count the newlines before them.
        return (int) yaml.substring(0, lineStart).chars().filter(c -> c == '\n').count() + 1;
    }
}
