package io.edgeplane.cli.input;

import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.api.model.CreateProjectTokenRequest;
import io.edgeplane.cli.api.model.TokenRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestsTest {

    @TempDir
    Path dir;

    private final Manifests manifests = new Manifests(new ByteArrayInputStream("role: viewer\n".getBytes(StandardCharsets.UTF_8)));

    private Path file(String text) throws Exception {
        return Files.writeString(dir.resolve("token.yaml"), text);
    }

    private static void failsWith(Runnable read, String message) {
        assertThatThrownBy(read::run).isInstanceOf(CliFailure.class)
                .satisfies(e -> assertThat(((CliFailure) e).exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessage(message);
    }

    @Test
    void readsYamlIntoTheGeneratedModel() throws Exception {
        CreateProjectTokenRequest request = manifests.read(file("role: owner\ndescription: ci\nexpiresAt: 2030-01-31T12:00:00Z\n").toString(),
                CreateProjectTokenRequest.class);

        assertThat(request.getRole()).isEqualTo(TokenRole.owner);
        assertThat(request.getExpiresAt().getYear()).isEqualTo(2030);
        assertThat(manifests.read("-", CreateProjectTokenRequest.class).getRole()).isEqualTo(TokenRole.viewer);
    }

    @Test
    void anUnknownFieldIsFoundBeforeAnyRequest() throws Exception {
        String path = file("role: owner\ndescripton: ci\n").toString();
        failsWith(() -> manifests.read(path, CreateProjectTokenRequest.class),
                path + ": unknown field 'descripton' (line 2, column 15); known here: description, expiresAt, role");
    }

    @Test
    void aWrongValueNamesItsField() throws Exception {
        String path = file("role: admin\n").toString();
        assertThatThrownBy(() -> manifests.read(path, CreateProjectTokenRequest.class))
                .isInstanceOf(CliFailure.class).hasMessageStartingWith(path + ": field 'role': ").hasMessageContaining("admin")
                .hasMessageContaining("(line 1");
    }

    @Test
    void aValueOfTheWrongShapeNamesItsField() throws Exception {
        String path = file("role: owner\ndescription: [a, b]\n").toString();
        failsWith(() -> manifests.read(path, CreateProjectTokenRequest.class),
                path + ": field 'description': Cannot deserialize value of type String from Array value (line 2, column 14)");
    }

    @Test
    void aFileThatIsNotYamlSaysWhere() throws Exception {
        String path = file("role: owner\ndescription: a: b\n").toString();
        assertThatThrownBy(() -> manifests.read(path, CreateProjectTokenRequest.class))
                .isInstanceOf(CliFailure.class).hasMessageStartingWith(path + ": not YAML or JSON: ").hasMessageContaining("line 2");
    }

    @Test
    void aMissingOrEmptyFile() throws Exception {
        failsWith(() -> manifests.read(dir.resolve("nope.yaml").toString(), CreateProjectTokenRequest.class), dir.resolve("nope.yaml") + ": no such file");
        String empty = file("\n").toString();
        failsWith(() -> manifests.read(empty, CreateProjectTokenRequest.class), empty + ": empty");
    }
}
