///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES WorkbookCluster.java

import dev.workbook.cluster.Cluster;
import dev.workbook.cluster.ClusterPool;
import dev.workbook.cluster.ClusterStrategy;
import dev.workbook.cluster.MemberSettings;
import dev.workbook.experiment.Experiment;
import dev.workbook.experiment.ExperimentResult;
import dev.workbook.experiment.Progress;
import dev.workbook.experiment.Strategies;
import dev.workbook.experiment.Workload;
import dev.workbook.primes.Primality;
import dev.workbook.primes.PrimalityTest;
import dev.workbook.primes.PrimeNumbers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lesson's 65 numbers checked on a Hazelcast cluster: local member JVMs (--members) or running members
 * (--connect). Prints the lesson's answers in order, then times the cluster beside threads and a process
 * pool in one table. Every member it started is gone when it exits.
 */
@Command(name = "cluster-primes", mixinStandardHelpOptions = true,
        description = "The lesson's prime check on a Hazelcast cluster, then a timing table beside threads and processes.")
public class ClusterPrimes implements Callable<Integer> {

    @Option(names = "--members", description = "Local member JVMs to start (default ${DEFAULT-VALUE}).")
    int members = 2;

    @Option(names = "--connect", split = ",", paramLabel = "HOST:PORT",
            description = "Use running members instead of starting local ones (see docs/cluster.md for the member command).")
    List<String> connect;

    @Option(names = "--cluster-name", description = "The running members' --cluster-name (default ${DEFAULT-VALUE}).")
    String clusterName = MemberSettings.DEFAULT_CLUSTER_NAME;

    @Option(names = "--repeats", description = "Timed runs per strategy (default ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--warmups", description = "Untimed runs before them (default ${DEFAULT-VALUE}).")
    int warmups = 1;

    public static void main(String... args) {
        System.exit(new CommandLine(new ClusterPrimes()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (members < 1 || repeats < 1 || warmups < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--members and --repeats must be at least 1, --warmups at least 0");
        }
        List<Long> numbers = PrimeNumbers.PRIMES;
        try (Cluster cluster = connect != null
                ? Cluster.connect(clusterName, Cluster.DEFAULT_CONNECT_TIMEOUT, connect.toArray(String[]::new))
                : Cluster.local(members)) {
            System.err.println("cluster " + cluster.name() + ": " + cluster.size() + " members at " + String.join(", ", cluster.memberAddresses()));
            try (ClusterPool pool = cluster.pool()) {
                List<Boolean> answers = pool.map(Primality::trialDivision, numbers);
                for (int i = 0; i < numbers.size(); i++) {
                    System.out.println(numbers.get(i) + " is prime: " + answers.get(i));
                }
            }
            int workers = Math.max(1, cluster.size());
            Workload<Long, Boolean> workload = Workload.primality("lesson's primes", numbers, PrimalityTest.TRIAL_DIVISION);
            ExperimentResult result = Experiment.of(workload)
                    .strategies(Strategies.threads(), Strategies.processes(), ClusterStrategy.connected(cluster))
                    .workers(workers).warmups(warmups).repeats(repeats).progress(Progress.auto()).run();
            System.out.println();
            System.out.print(result.facts());
            System.out.println(result.summary().print());
            System.out.println("Members: " + cluster.size() + " (" + cluster.heartbeat() + "); threads and processes with "
                    + workers + " workers. On one machine the members share its cores: a cluster pays off across hosts,"
                    + " when each task's work outweighs a network round trip.");
        }
        return 0;
    }
}
