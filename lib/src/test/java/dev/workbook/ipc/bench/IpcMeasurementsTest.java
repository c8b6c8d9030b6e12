package dev.workbook.ipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.ipc.WaitStrategy;
import dev.workbook.ipc.bench.IpcProbes.Payload;
import dev.workbook.process.ChildStartException;
import dev.workbook.process.ProcessPool;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The two sides of an IPC measurement: what they carry, and what happens when one of them fails. */
class IpcMeasurementsTest {

    @Test
    void theBenchsCodecTakesItsObjectPayloadBack() {
        Object quote = Payload.OBJECT.message(5);
        assertEquals(quote, IpcMeasurements.PAYLOAD_CODEC.decode(IpcMeasurements.PAYLOAD_CODEC.encode(quote)));
    }

    @Test
    void theObjectPayloadTravelsThroughEveryJavaRow() throws Exception {
        IpcMeasurements measure = new IpcMeasurements(Duration.ofSeconds(120));
        try (ProcessPool pool = ProcessPool.builder().workers(2).name("ipc-object-payload").build()) {
            IpcResult queue = measure.queueRoundTrip(pool, pool, WaitStrategy.backoff(), Payload.OBJECT, "", 10, 50, 0);
            assertEquals("object", queue.payload());
            assertTrue(queue.p50Micros() > 0, queue::toString);
            IpcResult oneWay = measure.queueOneWay(pool, pool, WaitStrategy.backoff(), Payload.OBJECT, "", 1_000);
            assertTrue(oneWay.messagesPerSecond() > 0, oneWay::toString);
            IpcResult pipe = measure.pipeRoundTrip(pool, Payload.OBJECT, 10, 50);
            assertEquals("object", pipe.payload());
            assertTrue(pipe.p50Micros() > 0, pipe::toString);
        }
    }

    /**
     * The consumers of the many-to-many row end only at the STOPs the measurement puts once the
     * producers are done, so its first wait must end with the producers (it once waited for the
     * consumers too, until its time limit). Every message arrives once.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void twoProducersAndTwoConsumersTakeEveryMessageAndTheMeasurementEnds() throws Exception {
        IpcMeasurements measure = new IpcMeasurements(Duration.ofMinutes(10));
        try (ProcessPool first = ProcessPool.builder().workers(2).name("ipc-m2m-first").build();
             ProcessPool second = ProcessPool.builder().workers(2).name("ipc-m2m-second").build()) {
            IpcResult result = measure.queueManyToMany(first, second, 5_000);
            assertEquals("10000 messages", result.sample(), result::toString);
            assertTrue(result.messagesPerSecond() > 0, result::toString);
        }
    }

    /**
     * The echo's pool cannot start a worker, so its call fails; the driver, already putting its first
     * message, would wait for the echo until the (here ten-minute) time limit. It must not.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aPartnerThatFailsEndsTheMeasurementAtOnceWithItsError() throws Exception {
        IpcMeasurements measure = new IpcMeasurements(Duration.ofMinutes(10));
        try (ProcessPool driver = ProcessPool.builder().workers(1).name("ipc-driver").build()) {
            ProcessPool broken = ProcessPool.builder().workers(1).name("ipc-broken-echo")
                    .initializer(IpcMeasurementsTest::refuseToStart).build();
            try {
                ExecutionException failed = assertThrows(ExecutionException.class, () -> measure.queueRoundTrip(driver,
                        broken, WaitStrategy.backoff(), Payload.LONG, "", 10, 1_000, 0));
                assertTrue(failed.getMessage().startsWith("the echo of the IPC measurement failed"), failed.getMessage());
                assertInstanceOf(ChildStartException.class, failed.getCause());
            } finally {
                broken.shutdownNow();
            }
            assertEquals(1, driver.submit(() -> 1).get(60, TimeUnit.SECONDS), "the driver's pool serves again");
        }
    }

    private static void refuseToStart() {
        throw new IllegalStateException("this echo never starts");
    }
}
