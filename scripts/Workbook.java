// The workbook library for JBang scripts: its sources and its dependencies, so that a script works
// from a fresh clone without building or installing anything. Scripts pull it in with
//   //SOURCES Workbook.java
// Keep //DEPS in step with lib/pom.xml, and //FILES with lib's resources that scripts need.
// (dev.workbook.display is left out: it is for notebook kernels.)
//JAVA 17+
//DEPS tech.tablesaw:tablesaw-core:0.44.4
//DEPS org.knowm.xchart:xchart:3.8.8
//DEPS me.tongfei:progressbar:0.10.1
//DEPS org.slf4j:slf4j-nop:2.0.17
//DEPS org.agrona:agrona:2.6.0
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../lib/src/main/java/dev/workbook/primes/*.java
//SOURCES ../lib/src/main/java/dev/workbook/gil/*.java
//SOURCES ../lib/src/main/java/dev/workbook/bench/*.java
//SOURCES ../lib/src/main/java/dev/workbook/codec/*.java
//SOURCES ../lib/src/main/java/dev/workbook/process/*.java
//SOURCES ../lib/src/main/java/dev/workbook/process/examples/*.java
//SOURCES ../lib/src/main/java/dev/workbook/ipc/*.java
//SOURCES ../lib/src/main/java/dev/workbook/ipc/examples/*.java
//FILES dev/workbook/bench/ipc_bench.py=../lib/src/main/resources/dev/workbook/bench/ipc_bench.py
//JAVA_OPTIONS -Djava.awt.headless=true
//JAVA_OPTIONS --add-exports java.base/jdk.internal.misc=ALL-UNNAMED

/** Marker: this file only carries the JBang directives above. */
final class Workbook {
    private Workbook() {
    }
}
