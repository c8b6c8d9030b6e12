// The workbook's cluster module for the JBang programs: the library (Workbook.java), Hazelcast, and the
// cluster module's sources. Programs that use a cluster pull it in with
//   //SOURCES WorkbookCluster.java
// lesson/src/test/java/dev/workbook/lesson/JBangDirectivesTest checks its //DEPS against the poms and its
// //SOURCES against the cluster module's package directories.
//SOURCES Workbook.java
//DEPS com.hazelcast:hazelcast:5.7.0
//SOURCES ../cluster/src/main/java/dev/workbook/cluster/*.java

/** Marker: this file only carries the JBang directives above. */
final class WorkbookCluster {
    private WorkbookCluster() {
    }
}
