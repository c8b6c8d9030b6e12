package dev.workbook.process;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a class file refers to (JVMS chapter 4): every class it names, and for each method the static
 * fields it reads and the methods it calls. The {@link Packer} uses the first to find the classes a
 * child needs, and the second to find which JShell variables a target actually reads.
 *
 * <p>Class names come from {@code CONSTANT_Class} entries (this class, its supertypes, nested classes,
 * every class whose members it uses) and from the {@code L...;} names inside descriptors and generic
 * signatures, which the verifier may load without a {@code CONSTANT_Class} entry. Method bodies are
 * decoded instruction by instruction: {@code getstatic} gives a read, {@code invoke*} a call, and
 * {@code invokedynamic} (a lambda or method reference inside the method) a call to each method handle
 * among its bootstrap arguments, so a lambda's body counts as called by the method that creates it.
 *
 * @param classNames internal names ({@code REPL/$JShell$12}), array types reduced to their element
 * @param methods    by {@code name + descriptor}, such as {@code greet(Ljava/lang/String;)V}
 */
record ClassFileReferences(Set<String> classNames, Map<String, MethodReferences> methods) {

    /**
     * What one method's code refers to.
     *
     * @param staticReads fields read with {@code getstatic}, as {@code owner.name} (owner's internal name)
     * @param calls       methods called or captured, as {@code owner.name descriptor}
     */
    record MethodReferences(Set<String> staticReads, Set<String> calls) {
    }

    private static final int MAGIC = 0xCAFEBABE;

    // Constant pool tags (JVMS 4.4).
    private static final int UTF8 = 1;
    private static final int CLASS = 7;
    private static final int FIELDREF = 9;
    private static final int METHODREF = 10;
    private static final int INTERFACE_METHODREF = 11;
    private static final int NAME_AND_TYPE = 12;
    private static final int METHOD_HANDLE = 15;
    private static final int INVOKE_DYNAMIC = 18;

    // Opcodes that matter here (JVMS 6.5).
    private static final int LDC = 0x12;
    private static final int LDC_W = 0x13;
    private static final int TABLESWITCH = 0xaa;
    private static final int LOOKUPSWITCH = 0xab;
    private static final int GETSTATIC = 0xb2;
    private static final int INVOKEVIRTUAL = 0xb6;
    private static final int INVOKEINTERFACE = 0xb9;
    private static final int INVOKEDYNAMIC = 0xba;
    private static final int WIDE = 0xc4;
    private static final int IINC = 0x84;

    /** Operand bytes of each opcode; -1 for the variable-length ones, handled apart. */
    private static final int[] OPERAND_BYTES = new int[256];

    static {
        // Everything not listed has no operands.
        set(1, 0x10, 0x12, 0xa9, 0xbc);                                 // bipush, ldc, ret, newarray
        set(1, 0x15, 0x16, 0x17, 0x18, 0x19, 0x36, 0x37, 0x38, 0x39, 0x3a); // loads and stores with an index
        set(2, 0x11, 0x13, 0x14, IINC, 0xbb, 0xbd, 0xc0, 0xc1, 0xc6, 0xc7); // sipush, ldc_w, ldc2_w, iinc, new, anewarray, checkcast, instanceof, ifnull, ifnonnull
        for (int op = 0x99; op <= 0xa8; op++) {
            OPERAND_BYTES[op] = 2;                                          // if*, goto, jsr
        }
        for (int op = 0xb2; op <= 0xb8; op++) {
            OPERAND_BYTES[op] = 2;                                          // field access, invokevirtual/special/static
        }
        set(3, 0xc5);                                                       // multianewarray
        set(4, INVOKEINTERFACE, INVOKEDYNAMIC, 0xc8, 0xc9);                 // goto_w, jsr_w
        set(-1, TABLESWITCH, LOOKUPSWITCH, WIDE);
    }

    private static void set(int bytes, int... opcodes) {
        for (int op : opcodes) {
            OPERAND_BYTES[op] = bytes;
        }
    }

    /**
     * Parses a class file.
     *
     * @throws IOException if the bytes are not a class file
     */
    static ClassFileReferences parse(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a class file (bad magic number)");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int count = in.readUnsignedShort();
        int[] tags = new int[count];
        int[] first = new int[count];
        int[] second = new int[count];
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case UTF8 -> utf8[i] = in.readUTF(); // u2 length + modified UTF-8: exactly readUTF's format
                case 3, 4 -> in.readInt(); // Integer, Float
                case 5, 6 -> { // Long, Double take two slots
                    in.readLong();
                    i++;
                }
                case CLASS, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort(); // Class, String, MethodType, Module, Package
                case FIELDREF, METHODREF, INTERFACE_METHODREF, NAME_AND_TYPE, 17, INVOKE_DYNAMIC -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                case METHOD_HANDLE -> {
                    first[i] = in.readUnsignedByte(); // reference kind
                    second[i] = in.readUnsignedShort(); // reference index
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        ConstantPool pool = new ConstantPool(tags, first, second, utf8);

        Set<String> classes = new LinkedHashSet<>();
        for (int i = 1; i < count; i++) {
            if (tags[i] == CLASS) {
                addClassName(utf8[first[i]], classes);
            } else if (tags[i] == UTF8) {
                addDescriptorNames(utf8[i], classes);
            }
        }

        in.readUnsignedShort(); // access flags
        in.readUnsignedShort(); // this class
        in.readUnsignedShort(); // super class
        in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
        int fields = in.readUnsignedShort();
        for (int i = 0; i < fields; i++) {
            in.skipNBytes(6); // access, name, descriptor
            skipAttributes(in);
        }
        Map<String, MethodReferences> methods = new HashMap<>();
        Map<String, List<Integer>> indyByMethod = new HashMap<>();
        int methodCount = in.readUnsignedShort();
        for (int i = 0; i < methodCount; i++) {
            in.readUnsignedShort(); // access
            String key = utf8[in.readUnsignedShort()] + utf8[in.readUnsignedShort()];
            MethodReferences references = new MethodReferences(new LinkedHashSet<>(), new LinkedHashSet<>());
            List<Integer> indys = new ArrayList<>();
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                String name = utf8[in.readUnsignedShort()];
                int length = in.readInt();
                if (name.equals("Code")) {
                    byte[] attribute = in.readNBytes(length);
                    DataInputStream code = new DataInputStream(new ByteArrayInputStream(attribute));
                    code.skipNBytes(4); // max stack, max locals
                    byte[] bytecode = code.readNBytes(code.readInt());
                    decode(bytecode, pool, references, indys);
                } else {
                    in.skipNBytes(length);
                }
            }
            methods.put(key, references);
            indyByMethod.put(key, indys);
        }
        List<List<Integer>> bootstrapArguments = new ArrayList<>();
        int classAttributes = in.readUnsignedShort();
        for (int a = 0; a < classAttributes; a++) {
            String name = utf8[in.readUnsignedShort()];
            int length = in.readInt();
            if (name.equals("BootstrapMethods")) {
                int bootstraps = in.readUnsignedShort();
                for (int b = 0; b < bootstraps; b++) {
                    in.readUnsignedShort(); // the bootstrap method itself (LambdaMetafactory...)
                    List<Integer> arguments = new ArrayList<>();
                    int argumentCount = in.readUnsignedShort();
                    for (int k = 0; k < argumentCount; k++) {
                        arguments.add(in.readUnsignedShort());
                    }
                    bootstrapArguments.add(arguments);
                }
            } else {
                in.skipNBytes(length);
            }
        }
        for (Map.Entry<String, List<Integer>> entry : indyByMethod.entrySet()) {
            for (int indy : entry.getValue()) {
                int bootstrap = first[indy];
                if (bootstrap < bootstrapArguments.size()) {
                    for (int argument : bootstrapArguments.get(bootstrap)) {
                        pool.addMethodHandle(argument, methods.get(entry.getKey()).calls());
                    }
                }
            }
        }
        return new ClassFileReferences(classes, methods);
    }

    /** Walks one method's instructions, recording reads, calls and the invokedynamic sites to resolve later. */
    private static void decode(byte[] code, ConstantPool pool, MethodReferences out, List<Integer> indys) throws IOException {
        int pc = 0;
        while (pc < code.length) {
            int op = code[pc] & 0xff;
            switch (op) {
                case GETSTATIC -> out.staticReads().add(pool.memberName(u2(code, pc + 1), false));
                case INVOKEVIRTUAL, 0xb7, 0xb8, INVOKEINTERFACE -> out.calls().add(pool.memberName(u2(code, pc + 1), true));
                case INVOKEDYNAMIC -> indys.add(u2(code, pc + 1));
                case LDC -> pool.addMethodHandle(code[pc + 1] & 0xff, out.calls());
                case LDC_W -> pool.addMethodHandle(u2(code, pc + 1), out.calls());
                default -> { }
            }
            int operands = OPERAND_BYTES[op];
            if (operands >= 0) {
                pc += 1 + operands;
            } else if (op == WIDE) {
                pc += (code[pc + 1] & 0xff) == IINC ? 6 : 4;
            } else {
                int aligned = (pc + 4) & ~3; // operands start at the next multiple of 4 from the code start
                if (op == TABLESWITCH) {
                    int low = s4(code, aligned + 4);
                    int high = s4(code, aligned + 8);
                    pc = aligned + 12 + 4 * (high - low + 1);
                } else {
                    int pairs = s4(code, aligned + 4);
                    pc = aligned + 8 + 8 * pairs;
                }
            }
        }
        if (pc != code.length) {
            throw new IOException("malformed code: the last instruction runs past the end");
        }
    }

    private static int u2(byte[] code, int at) {
        return ((code[at] & 0xff) << 8) | (code[at + 1] & 0xff);
    }

    private static int s4(byte[] code, int at) {
        return (code[at] << 24) | ((code[at + 1] & 0xff) << 16) | ((code[at + 2] & 0xff) << 8) | (code[at + 3] & 0xff);
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            in.readUnsignedShort();
            in.skipNBytes(in.readInt());
        }
    }

    private record ConstantPool(int[] tags, int[] first, int[] second, String[] utf8) {

        /** "owner.name" for a field, "owner.name descriptor" for a method, from a member reference. */
        String memberName(int index, boolean withDescriptor) throws IOException {
            if (index <= 0 || index >= tags.length) {
                throw new IOException("member reference out of the constant pool: " + index);
            }
            String owner = utf8[first[first[index]]];
            int nameAndType = second[index];
            String name = utf8[first[nameAndType]];
            return withDescriptor ? owner + "." + name + " " + utf8[second[nameAndType]] : owner + "." + name;
        }

        /** Records the method behind a method-handle constant (a lambda body, a method reference). */
        void addMethodHandle(int index, Set<String> calls) throws IOException {
            if (index > 0 && index < tags.length && tags[index] == METHOD_HANDLE) {
                int reference = second[index];
                if (tags[reference] == METHODREF || tags[reference] == INTERFACE_METHODREF) {
                    calls.add(memberName(reference, true));
                }
            }
        }
    }

    /** A {@code CONSTANT_Class} name: an internal name, or an array descriptor. */
    private static void addClassName(String name, Set<String> out) {
        if (name.startsWith("[")) {
            addDescriptorNames(name, out);
        } else {
            out.add(name);
        }
    }

    /**
     * Every {@code Lname;} (or {@code Lname<} in a generic signature) in a string that may be a
     * descriptor; strings that are not yield names no class loader will find, which costs a lookup.
     */
    private static void addDescriptorNames(String text, Set<String> out) {
        char first = text.isEmpty() ? ' ' : text.charAt(0);
        if (first != '(' && first != 'L' && first != '[' && first != '<' && first != 'T') {
            return; // not a field descriptor, method descriptor or signature
        }
        int at = 0;
        while ((at = text.indexOf('L', at)) >= 0) {
            int end = at + 1;
            while (end < text.length() && ";<.:()".indexOf(text.charAt(end)) < 0) {
                end++;
            }
            if (end < text.length() && end > at + 1 && (text.charAt(end) == ';' || text.charAt(end) == '<')) {
                out.add(text.substring(at + 1, end));
            }
            at = end;
        }
    }
}
