package dev.workbook.cluster;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hazelcast's logging level in this JVM: {@code SEVERE}, or the level named by the system property
 * {@value MemberSettings#LOG_LEVEL_PROPERTY}. Hazelcast logs through {@code java.util.logging}
 * ({@code hazelcast.logging.type=jdk}), whose loggers are held weakly: the logger is kept here so that
 * the level stays set.
 */
final class HazelcastLogging {

    private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");

    private HazelcastLogging() {
    }

    /** Sets the level once per JVM, before Hazelcast's first logger is made. */
    static void quiet() {
        String named = System.getProperty(MemberSettings.LOG_LEVEL_PROPERTY, "SEVERE");
        Level level;
        try {
            level = Level.parse(named.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(MemberSettings.LOG_LEVEL_PROPERTY + " must name a java.util.logging level"
                    + " (SEVERE, WARNING, INFO, FINE...), was '" + named + "'", e);
        }
        HAZELCAST.setLevel(level);
    }
}
