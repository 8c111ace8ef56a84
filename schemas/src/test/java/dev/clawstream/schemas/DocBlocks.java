package dev.clawstream.schemas;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The fenced code blocks of a Markdown document, so tests in every module can hold docs/ to the bytes they assert. */
public final class DocBlocks {

    private DocBlocks() {
    }

    /** The repository's docs/ directory, from the module directory or the repository root. */
    public static Path docs() {
        for (Path candidate : List.of(Path.of("../docs"), Path.of("docs"))) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/ not found from " + Path.of("").toAbsolutePath());
    }

    /** The content of every ``` block, without its fences and trailing newline. */
    public static List<String> blocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                if (current == null) {
                    current = new StringBuilder();
                } else {
                    blocks.add(current.toString().stripTrailing());
                    current = null;
                }
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }
}
