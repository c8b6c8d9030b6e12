package dev.workbook.process;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The classes and fields a class file refers to, read from its constant pool (JVMS 4.4): what a
 * child JVM may need to load once it runs a class shipped to it.
 *
 * <p>Class names come from {@code CONSTANT_Class} entries (this class, its supertypes, nested classes,
 * every class whose members it uses) and from the {@code L...;} class names inside descriptors and
 * generic signatures, which name classes the verifier may load without a {@code CONSTANT_Class}
 * entry. Field references come from {@code CONSTANT_Fieldref} entries.
 *
 * @param classNames internal names ({@code REPL/$JShell$12}), array types reduced to their element
 * @param fields     referenced fields, as {@code owner.name} with the owner's internal name
 */
record ClassFileReferences(Set<String> classNames, Set<String> fields) {

    private static final int MAGIC = 0xCAFEBABE;

    /**
     * Parses the constant pool of a class file.
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
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        int[] fieldrefClass = new int[count];
        int[] fieldrefNameAndType = new int[count];
        int[] nameAndTypeName = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF(); // u2 length + modified UTF-8: exactly readUTF's format
                case 3, 4 -> in.readInt(); // Integer, Float
                case 5, 6 -> { // Long, Double take two slots
                    in.readLong();
                    i++;
                }
                case 7 -> classNameIndex[i] = in.readUnsignedShort(); // Class
                case 8, 16, 19, 20 -> in.readUnsignedShort(); // String, MethodType, Module, Package
                case 9 -> { // Fieldref
                    fieldrefClass[i] = in.readUnsignedShort();
                    fieldrefNameAndType[i] = in.readUnsignedShort();
                }
                case 10, 11, 17, 18 -> in.readInt(); // Methodref, InterfaceMethodref, Dynamic, InvokeDynamic
                case 12 -> { // NameAndType
                    nameAndTypeName[i] = in.readUnsignedShort();
                    in.readUnsignedShort();
                }
                case 15 -> { // MethodHandle
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        Set<String> classes = new LinkedHashSet<>();
        for (int i = 1; i < count; i++) {
            if (classNameIndex[i] != 0) {
                addClassName(utf8[classNameIndex[i]], classes);
            } else if (utf8[i] != null) {
                addDescriptorNames(utf8[i], classes);
            }
        }
        Set<String> fields = new LinkedHashSet<>();
        for (int i = 1; i < count; i++) {
            if (fieldrefClass[i] != 0) {
                String owner = utf8[classNameIndex[fieldrefClass[i]]];
                String name = utf8[nameAndTypeName[fieldrefNameAndType[i]]];
                fields.add(owner + "." + name);
            }
        }
        return new ClassFileReferences(classes, fields);
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
