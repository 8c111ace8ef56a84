package dev.clawstream.topology;

import java.util.Arrays;
import java.util.List;

/**
 * The pipeline stages, each its own Kafka Streams application (own {@code application.id}) so each
 * scales and fails on its own. A stage is listed here from the start so that {@code --stages} and the
 * docs name the whole pipeline; {@link #inThisBuild()} says which ones this build can run.
 */
public enum Stage {
    ENFORCER("decides every egress event and gateway receipt against its WPC and CST", true),
    ALERTER("raises SOC alerts from the decisions", true),
    BUNDLER("seals a signed, hash-chained proof bundle per job", true);

    private final String description;
    private final boolean inThisBuild;

    Stage(String description, boolean inThisBuild) {
        this.description = description;
        this.inThisBuild = inThisBuild;
    }

    public String description() {
        return description;
    }

    public boolean inThisBuild() {
        return inThisBuild;
    }

    /** The lower-case name used on the command line and in application ids. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static List<Stage> available() {
        return Arrays.stream(values()).filter(Stage::inThisBuild).toList();
    }
}
