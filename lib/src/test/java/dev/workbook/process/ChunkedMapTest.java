package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A failed {@code map} names the input item that raised: its index in the input and its value. */
class ChunkedMapTest {

    private static ProcessPool pool;

    @BeforeAll
    static void startPool() {
        pool = new ProcessPool(1);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    static int failOnSeven(int n) {
        if (n == 7) {
            throw new ArithmeticException("seven");
        }
        return n;
    }

    static int failOnLong(String text) {
        if (text.length() > 100) {
            throw new IllegalArgumentException("too long");
        }
        return text.length();
    }

    record Order(int id) implements java.io.Serializable {
    }

    static int failOnOrder3(Order order) {
        if (order.id() == 3) {
            throw new IllegalStateException("order 3");
        }
        return order.id();
    }

    @Test
    void aFailureNamesTheItemByItsIndexInTheInputAndItsValue() {
        List<Integer> items = List.of(10, 11, 7, 12); // 7 is item #2
        ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.map(ChunkedMapTest::failOnSeven, items));
        assertTrue(failed.getMessage().startsWith("item #2 of the map (value 7) raised"), failed.getMessage());
        assertEquals("seven", assertInstanceOf(ArithmeticException.class, failed.getCause()).getMessage(),
                "the cause is still what the function threw");
    }

    @Test
    void anItemOfAnyTypeIsNamedToo() {
        List<Order> orders = IntStream.range(0, 5).mapToObj(Order::new).toList();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.map(ChunkedMapTest::failOnOrder3, orders));
        assertTrue(failed.getMessage().startsWith("item #3 of the map (value Order[id=3]) raised"), failed.getMessage());
        assertInstanceOf(IllegalStateException.class, failed.getCause());
    }

    @Test
    void aLongValueIsQuotedTruncated() {
        String huge = "x".repeat(5_000);
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> pool.map(ChunkedMapTest::failOnLong, List.of("short", huge)));
        assertTrue(failed.getMessage().contains("item #1 of the map (value " + "x".repeat(ChunkedMap.QUOTED_VALUE)
                + "... (5000 chars))"), failed.getMessage());
        assertFalse(failed.getMessage().contains("x".repeat(ChunkedMap.QUOTED_VALUE + 1)), "not the whole value");
    }

    @Test
    void inABiggerChunkTheFailureNamesTheChunksItems() {
        List<Integer> items = IntStream.range(0, 12).boxed().toList(); // 7 is in the chunk of items #4 to #7
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> pool.map(ChunkedMapTest::failOnSeven, items, 4));
        assertTrue(failed.getMessage().startsWith("one of items #4 to #7 of the map (a chunk of 4, values 4, 5, 6, ...) raised"),
                failed.getMessage());
    }

    @Test
    void anItemWhoseToStringThrowsIsNamedByItsClass() {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new UnsupportedOperationException();
            }
        };
        String named = ChunkedMap.describe(List.of(hostile), 9);
        assertTrue(named.startsWith("item #9 of the map (value a "), named);
        assertTrue(named.contains("whose toString threw UnsupportedOperationException"), named);
    }
}
