import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Run by the build on the OpenAPI document micronaut-openapi wrote (process-classes). A nullable
 * object property is written as {@code type: object, nullable: true, allOf: [$ref, {type: object}]}
 * when its {@code @Schema} says {@code type = "object"} (which Redocly's nullable-type-sibling needs);
 * the second allOf member adds nothing but makes openapi-generator invent an inline model instead of
 * the referenced one. This drops exactly that member and nothing else.
 */
public class NullableReferences {
    private static final Pattern EXTRA_OBJECT = Pattern.compile("(\\n( +)- \\$ref: \"[^\"]+\")\\n\\2- type: object(?=\\n)");

    public static void main(String[] args) throws Exception {
        Path document = Path.of(args[0]);
        String text = Files.readString(document);
        Matcher extra = EXTRA_OBJECT.matcher(text);
        String fixed = extra.replaceAll("$1");
        if (!fixed.equals(text)) {
            Files.writeString(document, fixed);
        }
    }
}
