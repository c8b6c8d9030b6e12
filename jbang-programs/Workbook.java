// The workbook library for the JBang programs: its sources and its dependencies, so that a program works
// from a fresh clone without building or installing anything. Programs pull it in with
//   //SOURCES Workbook.java
// lesson/src/test/java/dev/workbook/lesson/JBangDirectivesTest checks //DEPS against the poms, //SOURCES
// against the package directories of lib and lesson, and that every //FILES source exists.
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
//SOURCES ../lib/src/main/java/dev/workbook/codec/*.java
//SOURCES ../lib/src/main/java/dev/workbook/experiment/*.java
//SOURCES ../lib/src/main/java/dev/workbook/measure/*.java
//SOURCES ../lib/src/main/java/dev/workbook/report/*.java
//SOURCES ../lib/src/main/java/dev/workbook/process/*.java
//SOURCES ../lib/src/main/java/dev/workbook/ipc/*.java
//SOURCES ../lib/src/main/java/dev/workbook/ipc/bench/*.java
//SOURCES ../lib/src/main/java/dev/workbook/sharedstate/*.java
//SOURCES ../lesson/src/main/java/dev/workbook/lesson/*.java
//FILES dev/workbook/ipc/bench/ipc_bench.py=../lib/src/main/resources/dev/workbook/ipc/bench/ipc_bench.py
//FILES dev/workbook/sharedstate/shared_state.py=../lib/src/main/resources/dev/workbook/sharedstate/shared_state.py
//FILES dev/workbook/report/lesson-results.csv=../lib/src/main/resources/dev/workbook/report/lesson-results.csv
//JAVA_OPTIONS -Djava.awt.headless=true
//JAVA_OPTIONS --add-exports java.base/jdk.internal.misc=ALL-UNNAMED

/** Marker: this file only carries the JBang directives above. */
final class Workbook {
    private Workbook() {
    }
}
