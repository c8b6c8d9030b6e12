package dev.workbook.ipc;

import dev.workbook.codec.MessageCodec;
import dev.workbook.codec.MessageDecodingException;
import java.io.Serializable;
import java.lang.System.Logger.Level;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A bounded queue of messages that many processes put to and get from at once: CPython's
 * {@code multiprocessing.Queue}, in shared memory, with no broker thread or pipe in between.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * try (SharedQueue queue = SharedQueue.create()) {      // 1024 slots of up to 1008 bytes
 *     // hand `queue` to children: it is Serializable and attaches where it is read back
 *     queue.put(0L);                                      // blocks while full
 *     long next = (Long) queue.get(Duration.ofSeconds(5)); // throws SharedQueue.Empty after 5 s
 * }
 * }</pre>
 * Messages are objects encoded by the handle's {@link MessageCodec}: numbers, booleans, strings and
 * byte arrays in a few bytes, records and enum constants as their components, other
 * {@link Serializable} objects with Java serialization, all behind the codec's allow-list; the queue carries the encoded bytes without looking inside. Each message must fit one slot: a larger one is refused whole with a
 * {@link MessageTooLargeException} naming its size and the limit, before anything is written.
 *
 * <h2>Operations</h2>
 * <ul>
 *   <li>{@link #put(Object)} waits while the queue is full; {@link #put(Object, Duration)} throws
 *       {@link Full} when the time passes; {@link #offer(Object)} returns false at once.</li>
 *   <li>{@link #get()} waits while it is empty; {@link #get(Duration)} throws {@link Empty};
 *       {@link #poll()} returns null at once.</li>
 *   <li>{@link #shutdown()} closes the queue for every process: later puts throw {@link Closed};
 *       gets drain what is left, then throw {@link Closed}. {@link #close()} only ends this handle
 *       (and, for the creator, unlinks the name), like CPython's per-process {@code Queue.close}.</li>
 * </ul>
 * Waiting uses the handle's {@link WaitStrategy}: by default it spins briefly, then yields, then
 * <em>sleeps until rung</em>: it counts itself asleep in the queue's memory and blocks until a process
 * that puts (for getters) or frees a slot (for putters) rings its process's {@code Doorbell}, a
 * Unix-domain socket, or 10 ms pass (in case a ringer died before ringing). So a blocked {@code get}
 * costs almost no CPU and still wakes within tens of microseconds of a put, like CPython's queue
 * sleeping on its pipe. The price is a full memory fence in every put and get, to read the count of
 * sleepers after publishing. {@link WaitStrategy#spin()} gives sub-microsecond hand-offs at the price
 * of a core per waiter. Waits are interruptible.
 *
 * <h2>Ordering and memory</h2>
 * Messages are taken in the order their slots were claimed (FIFO for one producer; across producers,
 * in claim order). Putting a message happens-before getting it, in any process.
 *
 * <h2>Algorithm</h2>
 * A ring of fixed-size slots, each with a state word that says which <em>position</em> (a 52-bit
 * count of messages since creation) the slot is ready for and in what state; D. Vyukov's bounded MPMC
 * queue, with the claim moved onto the slot word so that the claimer's identity is recorded in the
 * same atomic step:
 * <pre>
 *   state word:  63                         12 11   9 8            0
 *               +-----------------------------+------+--------------+
 *               |         position            |state | participant  |
 *               +-----------------------------+------+--------------+
 *   FREE(p)     ready for the producer of position p
 *   WRITING(p,i) claimed by participant i, who is copying the message in
 *   READY(p)    holds message p
 *   READING(p,i) claimed by participant i, who is copying message p out
 *   ABANDONED(p) holds half of message p: its producer died
 * </pre>
 * A producer reads the tail hint {@code t} and moves the slot of {@code t} from FREE(t) to WRITING(t,
 * me) with a compare-and-swap, advances the tail, copies the message and publishes READY(t) with a
 * release store. A consumer moves READY(h) to READING(h, me), advances the head, copies the message
 * out and frees the slot for the next lap, FREE(h + capacity). The tail and head counters are only
 * hints: whoever finds them behind a claimed slot advances them, so a process dying between its claim
 * and the counter update holds nobody up.
 *
 * <h2>Processes that die</h2>
 * Every process using the queue registers once in a table of participants (pid and start-time tag);
 * the claim records the participant's index. What is guaranteed:
 * <ul>
 *   <li>A process killed while <em>blocked</em> in {@code get} or {@code put} (waiting, no slot claimed)
 *       leaves no trace: the others are unaffected.</li>
 *   <li>A producer killed <em>in the middle of writing</em> leaves a slot in WRITING. The consumer that
 *       reaches it checks the participant's process; finding it dead, it marks the slot ABANDONED and
 *       every consumer skips it. The half-written message is lost, never delivered, and counted in
 *       {@link #lostMessages()}; messages behind it flow on.</li>
 *   <li>A consumer killed <em>in the middle of reading</em> has taken its message with it (lost,
 *       counted). Its slot stays in READING until a producer needs it a lap later, finds the reader
 *       dead, and frees it; meanwhile the queue holds one slot fewer.</li>
 *   <li>A process killed at any other moment loses nothing.</li>
 *   <li>Death is read from {@code /proc} (a killed process not yet reaped by its parent already
 *       counts as dead), and only when a slot has been seen stuck; a live process that is merely slow
 *       (a GC pause, a stopped process) is never taken for dead.</li>
 *   <li>Not recovered: a process that hangs forever (alive) while holding a claim blocks the
 *       queue at that slot; and more than {@value #MAX_PARTICIPANTS} processes alive at once cannot
 *       attach.</li>
 * </ul>
 *
 * <h2>Layout</h2>
 * <pre>
 *      0  capacity (int) | slot size (int) | max message (int)
 *    128  tail: next position to produce (long), alone in 128 bytes
 *    256  head: next position to consume (long), alone in 128 bytes
 *    384  shut down (int) | 392 shut down by (token) | 400 lost messages (long)
 *    416  sleeping getters (int) | 420 sleeping putters (int), over all processes
 *    512  participants: 512 tokens (long), 0 = free
 *   4608  per participant, 16 bytes: sleeping getters | sleeping putters | getters rung | putters rung
 *  12800  slots: capacity x slot size, each:
 *           0 state word (long) | 8 length (int) | 12 unused | 16 the codec's bytes, up to max message
 * </pre>
 *
 * <h2>Damaged memory</h2>
 * Any process that can open the queue's file can write anything into it. States the algorithm never
 * produces are detected where they are read, and reported as a {@link SharedMemoryException} that
 * says what was found, instead of a wedged or spinning queue: a head or tail counter more than a lap
 * away from the slot it points at (the counters are hints, but never that far off), a slot whose
 * position is not one its index can hold, or a message length beyond the slot. A damaged message's
 * bytes only ever fail to decode ({@link MessageDecodingException}).
 */
public final class SharedQueue extends SharedPrimitive {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(SharedQueue.class.getName());

    /** Slots in a queue made by {@link #create()}. */
    public static final int DEFAULT_CAPACITY = 1024;
    /** The largest encoded message of a queue made by {@link #create()} (slots of 1 KiB). */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1008;
    /** Processes that may use one queue at the same time. */
    public static final int MAX_PARTICIPANTS = 512;

    private static final int CAPACITY = 0;
    private static final int SLOT_SIZE = 4;
    private static final int MAX_MESSAGE = 8;
    // The offsets that tests damage are package-private; the rest of the layout is nobody's business.
    static final int TAIL = 128;
    static final int HEAD = 256;
    private static final int SHUT_DOWN = 384;
    private static final int SHUT_DOWN_BY = 392;
    private static final int LOST = 400;
    private static final int GETTERS_ASLEEP = 416;
    private static final int PUTTERS_ASLEEP = 420;
    private static final int PARTICIPANTS = 512;
    private static final int SLEEPING = PARTICIPANTS + MAX_PARTICIPANTS * Long.BYTES;
    private static final int SLEEPING_STRIDE = 16;
    static final int SLOTS = SLEEPING + MAX_PARTICIPANTS * SLEEPING_STRIDE;

    static final int SLOT_STATE = 0;
    static final int SLOT_LENGTH = 8;
    static final int SLOT_PAYLOAD = 16;

    private static final int POSITION_SHIFT = 12;
    private static final int STATE_SHIFT = 9;
    private static final long PARTICIPANT_MASK = 0x1FF;
    private static final long STATE_MASK = 0x7;
    static final int FREE = 0;
    private static final int WRITING = 1;
    private static final int READY = 2;
    private static final int READING = 3;
    private static final int ABANDONED = 4;

    /** A live participant is not checked again for this long. */
    private static final long ALIVE_CACHE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** A sleeping waiter looks again after this long even if nobody rang (a ringer may have died). */
    static final long DEFAULT_SAFETY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    // Read from the region's header by derive, before the region is published (see SharedPrimitive):
    // every path to them goes through ensureOpen() or attached() first.
    private transient int capacity;
    private transient long mask;
    private transient int slotSize;
    private transient int maxMessage;
    private transient Participants participants;
    private transient Sleep getters;
    private transient Sleep putters;
    private volatile long safetyNanos = DEFAULT_SAFETY_NANOS;
    private volatile WaitStrategy waitStrategy = WaitStrategy.backoff();
    private volatile MessageCodec codec = MessageCodec.defaults();

    /** A put waited as long as it was allowed and the queue stayed full. */
    public static final class Full extends TimeoutException {
        private static final long serialVersionUID = 1L;

        Full(String message) {
            super(message);
        }
    }

    /** A get waited as long as it was allowed and the queue stayed empty. */
    public static final class Empty extends TimeoutException {
        private static final long serialVersionUID = 1L;

        Empty(String message) {
            super(message);
        }
    }

    /** The queue was {@linkplain #shutdown() shut down}: no more puts, and nothing left to get. */
    public static final class Closed extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Closed(String message) {
            super(message);
        }
    }

    private SharedQueue(SharedMemory region) {
        super(region);
        derive(region);
    }

    private SharedQueue(String name) {
        super(name);
    }

    @Override
    SharedMemory attachRegion(String name) {
        return SharedMemory.attach(name, RegionKind.QUEUE, -1);
    }

    @Override
    void derive(SharedMemory region) {
        AtomicBuffer header = region.buffer();
        this.capacity = header.getInt(CAPACITY);
        this.slotSize = header.getInt(SLOT_SIZE);
        this.maxMessage = header.getInt(MAX_MESSAGE);
        this.mask = Integer.bitCount(capacity) == 1 ? capacity - 1 : -1;
        if (capacity <= 0 || slotSize < SLOT_PAYLOAD + maxMessage
                || (long) SLOTS + (long) capacity * slotSize > region.size()) {
            throw new SharedMemoryException("SharedQueue '" + region.name() + "' is damaged: capacity " + capacity
                    + ", slot size " + slotSize + ", max message " + maxMessage + " in " + region.size() + " bytes");
        }
        this.getters = new Sleep(GETTERS_ASLEEP, 0);
        this.putters = new Sleep(PUTTERS_ASLEEP, 4);
        this.participants = region.processLocal("queue.participants", () -> new Participants(this));
    }

    /** Creates a queue of {@value #DEFAULT_CAPACITY} slots of {@value #DEFAULT_MAX_MESSAGE_SIZE} bytes. */
    public static SharedQueue create() {
        return create(DEFAULT_CAPACITY);
    }

    /** Creates a queue of {@code capacity} slots of {@value #DEFAULT_MAX_MESSAGE_SIZE} bytes. */
    public static SharedQueue create(int capacity) {
        return create(SharedMemory.generateName(RegionKind.QUEUE), capacity, DEFAULT_MAX_MESSAGE_SIZE);
    }

    /**
     * Creates a queue named {@code name}.
     *
     * @param capacity       how many messages it holds (a power of two is slightly faster)
     * @param maxMessageSize the largest encoded message, in bytes; a slot takes this plus 16,
     *                       rounded up to 64
     * @throws IllegalArgumentException if a size is out of range
     * @throws SharedMemoryException if the name is taken
     */
    public static SharedQueue create(String name, int capacity, int maxMessageSize) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("queue capacity must be positive, was " + capacity);
        }
        if (maxMessageSize < Long.BYTES) {
            throw new IllegalArgumentException("max message size must be at least 8 bytes, was " + maxMessageSize);
        }
        long slot = (SLOT_PAYLOAD + (long) maxMessageSize + 63) & -64L;
        long total = SLOTS + slot * capacity;
        if (total > SharedMemory.MAX_SIZE) {
            throw new IllegalArgumentException("a queue of " + capacity + " slots of " + slot + " bytes needs "
                    + total + " bytes, over the region limit of " + SharedMemory.MAX_SIZE + "; use fewer or smaller slots");
        }
        return open(SharedMemory.create(name, (int) total, RegionKind.QUEUE, fresh -> {
            fresh.putInt(CAPACITY, capacity);
            fresh.putInt(SLOT_SIZE, (int) slot);
            fresh.putInt(MAX_MESSAGE, maxMessageSize);
            for (int i = 0; i < capacity; i++) {
                fresh.putLong((int) (SLOTS + i * slot + SLOT_STATE), word(i, FREE, 0));
            }
        }), SharedQueue::new);
    }

    /**
     * Attaches the queue {@code name}.
     *
     * @throws SharedMemoryException if it does not exist, is not a queue, or has another layout version
     */
    public static SharedQueue attach(String name) {
        return open(SharedMemory.attach(name, RegionKind.QUEUE, -1), SharedQueue::new);
    }

    /** Sets how this handle waits; returns this. Travels with the handle. */
    public SharedQueue waitStrategy(WaitStrategy strategy) {
        this.waitStrategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /** Sets how this handle encodes and decodes (and which classes it deserializes); returns this. */
    public SharedQueue codec(MessageCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
        return this;
    }

    public WaitStrategy waitStrategy() {
        return waitStrategy;
    }

    public MessageCodec codec() {
        return codec;
    }

    /** How many messages the queue holds at most. */
    public int capacity() {
        attached();
        return capacity;
    }

    /** The largest encoded message, in bytes. */
    public int maxMessageSize() {
        attached();
        return maxMessage;
    }

    /** About how many messages are in the queue (exact when nobody is putting or getting). */
    public int size() {
        ensureOpen();
        long head = buffer().getLongVolatile(HEAD);
        long tail = buffer().getLongVolatile(TAIL);
        return (int) Math.max(0, Math.min(capacity, tail - head));
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** Messages lost because the process writing or reading them died, over the queue's life. */
    public long lostMessages() {
        ensureOpen();
        return buffer().getLongVolatile(LOST);
    }

    /** Whether some process has {@linkplain #shutdown() shut the queue down}. */
    public boolean isShutdown() {
        ensureOpen();
        return buffer().getIntVolatile(SHUT_DOWN) != 0;
    }

    /**
     * Closes the queue for every process: puts from now on throw {@link Closed}, gets return what is
     * left and then throw {@link Closed}, waiting gets and puts wake up. Messages put concurrently with
     * the shutdown may or may not be accepted. Idempotent.
     */
    public void shutdown() {
        ensureOpen();
        buffer().putLongVolatile(SHUT_DOWN_BY, ProcessIdentity.current());
        buffer().putIntVolatile(SHUT_DOWN, 1);
        getters.wake();
        putters.wake();
    }

    /**
     * Adds a message, waiting as long as the queue is full.
     *
     * @throws MessageTooLargeException if the encoded message exceeds {@link #maxMessageSize()}
     * @throws Closed if the queue was shut down
     * @throws InterruptedException if interrupted while waiting; the message was then not added
     */
    public void put(Object message) throws InterruptedException {
        byte[] encoded = encode(message);
        Waiting.await(waitStrategy, -1, () -> tryPut(encoded), putters);
    }

    /**
     * Adds a message, waiting at most {@code timeout} for room.
     *
     * @throws Full if the queue stayed full for {@code timeout}; the message was not added
     * @throws MessageTooLargeException if the encoded message exceeds {@link #maxMessageSize()}
     * @throws Closed if the queue was shut down
     * @throws InterruptedException if interrupted while waiting; the message was then not added
     */
    public void put(Object message, Duration timeout) throws InterruptedException, Full {
        byte[] encoded = encode(message);
        if (Waiting.await(waitStrategy, Math.max(0, timeout.toNanos()), () -> tryPut(encoded), putters) < 0) {
            throw new Full("SharedQueue '" + name() + "' stayed full (" + capacity + " messages) for " + timeout);
        }
    }

    /**
     * Adds a message if there is room right now.
     *
     * @return false if the queue is full
     * @throws MessageTooLargeException if the encoded message exceeds {@link #maxMessageSize()}
     * @throws Closed if the queue was shut down
     */
    public boolean offer(Object message) {
        byte[] encoded = encode(message);
        return tryPut(encoded) >= 0;
    }

    /**
     * Takes the next message, waiting as long as the queue is empty.
     *
     * @throws Closed if the queue was shut down and is empty
     * @throws MessageDecodingException if the message cannot be decoded (it is consumed all the same)
     * @throws InterruptedException if interrupted while waiting
     */
    public Object get() throws InterruptedException {
        ensureOpen();
        long position = Waiting.await(waitStrategy, -1, this::claimOrThrowIfClosed, getters);
        return readAndFree(position);
    }

    /**
     * Takes the next message, waiting at most {@code timeout}.
     *
     * @throws Empty if the queue stayed empty for {@code timeout}
     * @throws Closed if the queue was shut down and is empty
     * @throws MessageDecodingException if the message cannot be decoded (it is consumed all the same)
     * @throws InterruptedException if interrupted while waiting
     */
    public Object get(Duration timeout) throws InterruptedException, Empty {
        ensureOpen();
        long position = Waiting.await(waitStrategy, Math.max(0, timeout.toNanos()), this::claimOrThrowIfClosed,
                getters);
        if (position < 0) {
            throw new Empty("SharedQueue '" + name() + "' stayed empty for " + timeout);
        }
        return readAndFree(position);
    }

    /**
     * Takes the next message if there is one right now.
     *
     * @return the message, or null if the queue is empty
     * @throws Closed if the queue was shut down and is empty
     * @throws MessageDecodingException if the message cannot be decoded (it is consumed all the same)
     */
    public Object poll() {
        ensureOpen();
        long position = claimOrThrowIfClosed();
        return position < 0 ? null : readAndFree(position);
    }

    // ---------------------------------------------------------------- producing

    private byte[] encode(Object message) {
        ensureOpen();
        Objects.requireNonNull(message, "a SharedQueue does not take null messages");
        byte[] encoded = codec.encode(message);
        if (encoded.length > maxMessage) {
            throw new MessageTooLargeException("a " + message.getClass().getName() + " message", encoded.length,
                    maxMessage, "create SharedQueue '" + name() + "' with a larger maxMessageSize, or send less");
        }
        return encoded;
    }

    private long tryPut(byte[] encoded) {
        if (buffer().getIntVolatile(SHUT_DOWN) != 0) {
            throw closed();
        }
        long position = claimForWrite();
        if (position < 0) {
            return -1;
        }
        int slot = slotOffset(position);
        writePayload(slot, encoded, encoded.length);
        buffer().putLongRelease(slot + SLOT_STATE, word(position, READY, 0));
        getters.wake();
        return position;
    }

    /** Copies {@code length} of the encoded bytes into the slot; the length word says all of them. */
    private void writePayload(int slot, byte[] encoded, int length) {
        buffer().putBytes(slot + SLOT_PAYLOAD, encoded, 0, length);
        buffer().putInt(slot + SLOT_LENGTH, encoded.length);
    }

    /** Claims the slot of the tail position; returns the position, or -1 if the queue is full. */
    private long claimForWrite() {
        final long me = participants.index();
        while (true) {
            long position = counter(TAIL);
            int slot = slotOffset(position);
            long word = checkedWord(slot, position);
            long slotPosition = word >>> POSITION_SHIFT;
            if (slotPosition == position) {
                if (state(word) == FREE) {
                    if (buffer().compareAndSetLong(slot + SLOT_STATE, word, word(position, WRITING, me))) {
                        buffer().compareAndSetLong(TAIL, position, position + 1);
                        return position;
                    }
                } else {
                    buffer().compareAndSetLong(TAIL, position, position + 1); // claimed; the tail lags: help
                }
            } else if (slotPosition > position) {
                checkLap(TAIL, position, slotPosition);
                buffer().compareAndSetLong(TAIL, position, position + 1); // long since claimed: help
            } else if (checkLap(TAIL, position, slotPosition) && !recoverIfOwnerDead(slot, word)) {
                return -1; // the slot still holds the previous lap: full
            }
        }
    }

    // ---------------------------------------------------------------- consuming

    private long claimOrThrowIfClosed() {
        long position = claimForRead();
        if (position < 0 && buffer().getIntVolatile(SHUT_DOWN) != 0) {
            position = claimForRead(); // a message published just before the shutdown
            if (position < 0) {
                throw closed();
            }
        }
        return position;
    }

    /** Claims the slot of the head position; returns the position, or -1 if nothing is ready there. */
    private long claimForRead() {
        final long me = participants.index();
        while (true) {
            long position = counter(HEAD);
            int slot = slotOffset(position);
            long word = checkedWord(slot, position);
            long slotPosition = word >>> POSITION_SHIFT;
            if (slotPosition == position) {
                switch (state(word)) {
                    case READY:
                        if (buffer().compareAndSetLong(slot + SLOT_STATE, word, word(position, READING, me))) {
                            buffer().compareAndSetLong(HEAD, position, position + 1);
                            return position;
                        }
                        break;
                    case ABANDONED:
                        if (buffer().compareAndSetLong(slot + SLOT_STATE, word, word(position, READING, me))) {
                            buffer().compareAndSetLong(HEAD, position, position + 1);
                            buffer().putLongRelease(slot + SLOT_STATE, word(position + capacity, FREE, 0));
                        }
                        break;
                    case READING:
                        buffer().compareAndSetLong(HEAD, position, position + 1); // claimed; the head lags: help
                        break;
                    case WRITING:
                        if (!recoverIfOwnerDead(slot, word)) {
                            return -1; // being written right now
                        }
                        break;
                    default:
                        return -1; // FREE(position): nothing put there yet
                }
            } else if (slotPosition > position) {
                checkLap(HEAD, position, slotPosition);
                buffer().compareAndSetLong(HEAD, position, position + 1); // long since consumed: help
            } else if (checkLap(HEAD, position, slotPosition) && !recoverIfOwnerDead(slot, word)) {
                return -1; // still being read a lap behind: nothing here yet
            }
        }
    }

    /** Copies the claimed message out, frees the slot for the next lap, wakes sleeping putters, decodes. */
    private Object readAndFree(long position) {
        try {
            return readAndFreeSlot(position);
        } finally {
            putters.wake();
        }
    }

    private Object readAndFreeSlot(long position) {
        int slot = slotOffset(position);
        int length = buffer().getInt(slot + SLOT_LENGTH);
        byte[] bytes = null;
        if (length >= 0 && length <= maxMessage) {
            bytes = new byte[length];
            buffer().getBytes(slot + SLOT_PAYLOAD, bytes);
        }
        buffer().putLongRelease(slot + SLOT_STATE, word(position + capacity, FREE, 0));
        if (bytes == null) {
            throw new MessageDecodingException("SharedQueue '" + name() + "': message " + position + " claims " + length
                    + " bytes, but a slot holds at most " + maxMessage + ": the queue's memory is damaged; the message"
                    + " is dropped", null);
        }
        return codec.decode(bytes); // after the slot is free: a slow or failing decode holds nobody up
    }

    // ---------------------------------------------------------------- damage

    /** The head or tail counter, which must be a position: 0 to 2^52 - 1. */
    private long counter(int offset) {
        long position = buffer().getLongVolatile(offset);
        if (position < 0 || position >>> (Long.SIZE - POSITION_SHIFT) != 0) {
            throw damaged((offset == HEAD ? "the head" : "the tail") + " counter is " + position
                    + ", which is no position");
        }
        return position;
    }

    /**
     * The state word of the slot of {@code position}, which must hold a state that exists and a
     * position of that slot (congruent to {@code position} modulo the capacity): whatever happens,
     * the algorithm never writes anything else there.
     */
    private long checkedWord(int slot, long position) {
        long word = buffer().getLongVolatile(slot + SLOT_STATE);
        if (state(word) > ABANDONED || ((word >>> POSITION_SHIFT) - position) % capacity != 0) {
            throw damaged("slot " + (slot - SLOTS) / slotSize + " holds state word 0x" + Long.toHexString(word)
                    + ", which no queue operation writes");
        }
        return word;
    }

    /**
     * Checks that the slot at {@code position} is at most a lap away from the counter that named it.
     * The counters are hints that may lag behind the slots, but only by claims in flight: a slot more
     * than a lap ahead (the counter went back) or behind (it jumped forward) is damage, which would
     * otherwise spin the helpers for billions of steps or wedge the queue forever. A stale read (the
     * counter moved on since) is no evidence: it is judged only if the counter still holds
     * {@code position}, and counters never go back. Returns true, for use in conditions.
     */
    private boolean checkLap(int counter, long position, long slotPosition) {
        if (Math.abs(slotPosition - position) > capacity && buffer().getLongVolatile(counter) == position) {
            throw damaged((counter == HEAD ? "the head" : "the tail") + " counter is " + position + " but its slot"
                    + " is at position " + slotPosition + ", more than a lap of " + capacity + " away");
        }
        return true;
    }

    private SharedMemoryException damaged(String what) {
        return new SharedMemoryException("SharedQueue '" + name() + "' is damaged: " + what + ". Something other than"
                + " a SharedQueue wrote into its memory; make a new queue");
    }

    // ---------------------------------------------------------------- recovery

    /**
     * If {@code word} (read from {@code slot}) is a claim by a dead participant, releases it: a half
     * write becomes ABANDONED, a half read FREE for the next lap. Returns true if the caller should look
     * again (recovered, by us or a rival).
     */
    private boolean recoverIfOwnerDead(int slot, long word) {
        int state = state(word);
        if (state != WRITING && state != READING) {
            return false;
        }
        int owner = (int) (word & PARTICIPANT_MASK);
        if (!participants.isDead(owner)) {
            return false;
        }
        long position = word >>> POSITION_SHIFT;
        long released = state == WRITING ? word(position, ABANDONED, 0) : word(position + capacity, FREE, 0);
        if (buffer().compareAndSetLong(slot + SLOT_STATE, word, released)) {
            buffer().getAndAddLong(LOST, 1);
            LOG.log(Level.WARNING, "SharedQueue ''{0}'': pid {1} died {2} message {3}; that message is lost",
                    name(), String.valueOf(ProcessIdentity.pidOf(participants.token(owner))),
                    state == WRITING ? "while writing" : "while reading", String.valueOf(position));
        }
        return true;
    }

    /** This JVM's registration in the queue and its cache of other participants' liveness. */
    private static final class Participants {
        private final SharedQueue queue;
        private final int index;
        private final long[] aliveToken = new long[MAX_PARTICIPANTS];
        private final long[] aliveUntil = new long[MAX_PARTICIPANTS];

        Participants(SharedQueue queue) {
            this.queue = queue;
            this.index = register();
        }

        int index() {
            return index;
        }

        long token(int participant) {
            return queue.buffer().getLongVolatile(PARTICIPANTS + participant * Long.BYTES);
        }

        boolean isDead(int participant) {
            long token = token(participant);
            long now = System.nanoTime();
            synchronized (this) {
                if (aliveToken[participant] == token && now - aliveUntil[participant] < 0) {
                    return false;
                }
            }
            if (ProcessIdentity.isAlive(token)) {
                synchronized (this) {
                    aliveToken[participant] = token;
                    aliveUntil[participant] = now + ALIVE_CACHE_NANOS;
                }
                return false;
            }
            return true;
        }

        /** Finds this process's entry, or a free one, or takes over a dead process's entry. */
        private int register() {
            long me = ProcessIdentity.current();
            for (int i = 0; i < MAX_PARTICIPANTS; i++) {
                if (token(i) == me) {
                    return i;
                }
            }
            for (int i = 0; i < MAX_PARTICIPANTS; i++) {
                if (token(i) == 0 && queue.buffer().compareAndSetLong(PARTICIPANTS + i * Long.BYTES, 0, me)) {
                    return i;
                }
            }
            for (int i = 0; i < MAX_PARTICIPANTS; i++) {
                long token = token(i);
                if (!ProcessIdentity.isAlive(token)) {
                    // Release the dead process's claims first: once the entry is ours, they would look alive.
                    queue.recoverAllOf(i);
                    queue.getters.forget(i);
                    queue.putters.forget(i);
                    if (queue.buffer().compareAndSetLong(PARTICIPANTS + i * Long.BYTES, token, me)) {
                        return i;
                    }
                }
            }
            throw new SharedMemoryException("SharedQueue '" + queue.name() + "' already has " + MAX_PARTICIPANTS
                    + " live processes attached, the most it supports");
        }
    }

    private void recoverAllOf(int participant) {
        for (int i = 0; i < capacity; i++) {
            int slot = SLOTS + i * slotSize;
            long word = buffer().getLongVolatile(slot + SLOT_STATE);
            int state = state(word);
            if ((state == WRITING || state == READING) && (word & PARTICIPANT_MASK) == participant) {
                recoverIfOwnerDead(slot, word);
            }
        }
    }

    // ---------------------------------------------------------------- sleeping and ringing

    /**
     * The getters' or the putters' side of the doorbell protocol. A waiter that has spun and yielded
     * in vain counts itself asleep (its process's counter, then the global one) and sleeps until its
     * process's {@link Doorbell} rings. Whoever makes progress for that side (a put for getters, a
     * freed slot for putters) fences, reads the global counter and, if anyone sleeps, rings each
     * sleeping process once per sleep: the "rung" flag keeps a burst of puts from ringing the same
     * process a thousand times before it wakes.
     */
    private final class Sleep implements Waiting.Sleeper {
        private final int global;
        private final int side;

        Sleep(int global, int side) {
            this.global = global;
            this.side = side;
        }

        private int count(int participant) {
            return SLEEPING + participant * SLEEPING_STRIDE + side;
        }

        private int rung(int participant) {
            return count(participant) + 8;
        }

        @Override
        public void prepare() {
            Doorbell bell = Doorbell.local();
            if (bell == null) {
                return; // nobody could ring us: safetyNanos() makes the sleep short
            }
            bell.enter();
            int me = participants.index();
            buffer().putIntVolatile(rung(me), 0);
            buffer().getAndAddInt(count(me), 1);
            buffer().getAndAddInt(global, 1); // a locked add: also the fence before our next look
        }

        @Override
        public void done() {
            Doorbell bell = Doorbell.local();
            if (bell == null) {
                return;
            }
            int me = participants.index();
            buffer().getAndAddInt(global, -1);
            buffer().getAndAddInt(count(me), -1);
            buffer().putIntVolatile(rung(me), 0);
            bell.leave();
        }

        @Override
        public long safetyNanos() {
            return Doorbell.local() == null ? TimeUnit.MILLISECONDS.toNanos(1) : safetyNanos;
        }

        /** Called after making progress for this side. */
        void wake() {
            VarHandle.fullFence(); // our publication before the read of the counter: pairs with prepare()
            if (buffer().getIntVolatile(global) <= 0) {
                return;
            }
            for (int i = 0; i < MAX_PARTICIPANTS; i++) {
                if (buffer().getIntVolatile(count(i)) > 0 && buffer().compareAndSetInt(rung(i), 0, 1)) {
                    long token = participants.token(i);
                    if (!Doorbell.ring(token) && !ProcessIdentity.isAlive(token)) {
                        forget(i); // it died asleep: stop counting it
                    }
                }
            }
        }

        /** Drops the sleepers counted for a dead participant. */
        void forget(int participant) {
            int asleep = buffer().getAndSetInt(count(participant), 0);
            if (asleep > 0) {
                buffer().getAndAddInt(global, -asleep);
            }
            buffer().putIntVolatile(rung(participant), 0);
        }
    }

    /** For tests: how many getters (or putters) all processes have asleep right now. */
    int asleep(boolean getters) {
        return buffer().getIntVolatile(getters ? GETTERS_ASLEEP : PUTTERS_ASLEEP);
    }

    /** For tests: how long a sleeping waiter of this handle trusts the doorbell before looking again. */
    SharedQueue safetyTimeout(java.time.Duration timeout) {
        this.safetyNanos = timeout.toNanos();
        return this;
    }

    // ---------------------------------------------------------------- test hooks

    /**
     * Claims a slot, writes half of the message and never publishes it: what a producer killed
     * mid-write leaves behind. For tests, which kill the process while it sleeps here.
     */
    void putAndStallMidWrite(Object message, Runnable stalled) throws InterruptedException {
        byte[] encoded = encode(message);
        long position = Waiting.await(waitStrategy, -1, this::claimForWrite);
        int slot = slotOffset(position);
        writePayload(slot, encoded, encoded.length / 2);
        stalled.run();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Claims a message for reading and never frees the slot: a consumer killed mid-read. For tests. */
    void getAndStallMidRead(Runnable stalled) throws InterruptedException {
        ensureOpen();
        Waiting.await(waitStrategy, -1, this::claimForRead);
        stalled.run();
        Thread.sleep(Long.MAX_VALUE);
    }

    // ---------------------------------------------------------------- helpers

    private int slotOffset(long position) {
        long index = mask >= 0 ? position & mask : position % capacity;
        return SLOTS + (int) index * slotSize;
    }

    static long word(long position, int state, long participant) {
        return position << POSITION_SHIFT | (long) state << STATE_SHIFT | participant;
    }

    private static int state(long word) {
        return (int) (word >>> STATE_SHIFT & STATE_MASK);
    }

    private Closed closed() {
        long by = buffer().getLongVolatile(SHUT_DOWN_BY);
        return new Closed("SharedQueue '" + name() + "' was shut down by pid " + ProcessIdentity.pidOf(by)
                + (buffer().getLongVolatile(HEAD) < buffer().getLongVolatile(TAIL) ? "" : " and is empty"));
    }

    @Override
    public String toString() {
        return isClosed() || !isAttached() ? super.toString()
                : "SharedQueue[" + name() + ", " + size() + "/" + capacity + (isShutdown() ? ", shut down" : "") + "]";
    }

    private Object writeReplace() {
        return new Handle(name(), waitStrategy, codec);
    }

    private record Handle(String name, WaitStrategy waitStrategy, MessageCodec codec) implements Serializable {
        private Object readResolve() {
            return new SharedQueue(name).waitStrategy(waitStrategy).codec(codec); // inert until first use: decoding touches no file
        }
    }
}
