package dev.workbook.kernel.exec;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.HashSet;
import java.util.Set;

/**
 * Rewrites user classes (snippets, jars on the notebook class path) so that the kernel can stop them and
 * keep their effects inside the notebook:
 * <ul>
 *   <li>a call to {@link StopSignal#check()} before every backward jump and at the entry of every method
 *       that invokes another, so that an interrupt ends loops and deep recursion;</li>
 *   <li>{@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} go to {@link SystemExitTrap};</li>
 *   <li>{@code ProcessBuilder.start} and {@code ProcessBuilder.startPipeline} go to
 *       {@code dev.workbook.kernel.output.ChildOutputCapture}, which pipes a child's inherited stdout and
 *       stderr into the cell instead of the kernel's terminal.</li>
 * </ul>
 *
 * <p>The inserted call takes and leaves nothing on the operand stack, so the maximum stack depth and the
 * stack map frames of the method stay valid; no frame is recomputed and no class is loaded to do it.
 *
 * <p>Thread-safe: instances hold no state.
 */
public final class StopInstrumenter {

    private static final String STOP = "dev/workbook/kernel/exec/StopSignal";
    private static final String EXIT = "dev/workbook/kernel/exec/SystemExitTrap";
    private static final String CAPTURE = "dev/workbook/kernel/output/ChildOutputCapture";

    /**
     * Returns the rewritten class file, or {@code classFile} itself when there is nothing to rewrite or it
     * cannot be rewritten (a class file version newer than the bundled ASM knows, a method that the checks
     * would push past the 64 KB limit): such a class still runs, it only has no check points.
     */
    public byte[] instrument(byte[] classFile) {
        try {
            ClassNode node = new ClassNode();
            new ClassReader(classFile).accept(node, 0);
            if ("module-info".equals(node.name)) {
                return classFile;
            }
            boolean changed = false;
            for (MethodNode method : node.methods) {
                changed |= instrument(method);
            }
            if (!changed) {
                return classFile;
            }
            ClassWriter writer = new ClassWriter(0);
            node.accept(writer);
            return writer.toByteArray();
        } catch (RuntimeException unsupported) {
            // A class file version ASM does not know, or a method the checks would push past 64 KB.
            return classFile;
        }
    }

    private static boolean instrument(MethodNode method) {
        InsnList code = method.instructions;
        if (code == null || code.size() == 0) {
            return false;
        }
        boolean changed = false;
        boolean invokesOthers = false;
        Set<LabelNode> seen = new HashSet<>();
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof LabelNode) {
                seen.add((LabelNode) insn);
            } else if (insn instanceof JumpInsnNode) {
                if (seen.contains(((JumpInsnNode) insn).label)) {
                    code.insertBefore(insn, checkCall());
                    changed = true;
                }
            } else if (insn instanceof MethodInsnNode) {
                invokesOthers = true;
                changed |= redirect((MethodInsnNode) insn);
            } else if (insn instanceof InvokeDynamicInsnNode) {
                invokesOthers = true;
            }
        }
        if (invokesOthers) {
            code.insert(checkCall());
            changed = true;
        }
        return changed;
    }

    private static MethodInsnNode checkCall() {
        return new MethodInsnNode(Opcodes.INVOKESTATIC, STOP, "check", "()V", false);
    }

    /** Points a call that would leave the notebook (exit, inherited child output) at the kernel's stand-in. */
    private static boolean redirect(MethodInsnNode call) {
        if (call.getOpcode() == Opcodes.INVOKESTATIC && "java/lang/System".equals(call.owner)
                && "exit".equals(call.name) && "(I)V".equals(call.desc)) {
            call.owner = EXIT;
            return true;
        }
        if (call.getOpcode() == Opcodes.INVOKEVIRTUAL && "java/lang/Runtime".equals(call.owner)
                && ("exit".equals(call.name) || "halt".equals(call.name)) && "(I)V".equals(call.desc)) {
            toStatic(call, EXIT, "(Ljava/lang/Runtime;I)V");
            return true;
        }
        if (call.getOpcode() == Opcodes.INVOKEVIRTUAL && "java/lang/ProcessBuilder".equals(call.owner)
                && "start".equals(call.name) && "()Ljava/lang/Process;".equals(call.desc)) {
            toStatic(call, CAPTURE, "(Ljava/lang/ProcessBuilder;)Ljava/lang/Process;");
            return true;
        }
        if (call.getOpcode() == Opcodes.INVOKESTATIC && "java/lang/ProcessBuilder".equals(call.owner)
                && "startPipeline".equals(call.name) && "(Ljava/util/List;)Ljava/util/List;".equals(call.desc)) {
            call.owner = CAPTURE;
            return true;
        }
        return false;
    }

    private static void toStatic(MethodInsnNode call, String owner, String desc) {
        call.setOpcode(Opcodes.INVOKESTATIC);
        call.owner = owner;
        call.desc = desc;
        call.itf = false;
    }
}
