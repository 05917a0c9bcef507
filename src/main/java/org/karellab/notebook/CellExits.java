package org.karellab.notebook;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Keeps cell code from ending the kernel. Every cell's compiled classes pass through
 * {@link #rewrite(byte[])} before they load, which turns calls to {@code System.exit},
 * {@code Runtime.exit} and {@code Runtime.halt} (direct calls, and method references such as
 * {@code System::exit}) into calls to the methods below. Those throw a {@link CellExitError}:
 * the cell fails with that error under it, and the kernel keeps running with its state.
 *
 * <p>Only the cell's own code is rewritten: a library that calls {@code System.exit} itself, or
 * a call through reflection, still ends the kernel.
 */
public final class CellExits {
    private static final String SYSTEM = "java/lang/System";
    private static final String RUNTIME = "java/lang/Runtime";
    private static final String SELF = CellExits.class.getName().replace('.', '/');

    private CellExits() {
    }

    /** What {@code System.exit(status)} does in a cell. */
    public static void systemExit(int status) {
        throw new CellExitError("System.exit(" + status + ")");
    }

    /** What {@code Runtime.getRuntime().exit(status)} does in a cell. */
    public static void runtimeExit(Runtime runtime, int status) {
        throw new CellExitError("Runtime.exit(" + status + ")");
    }

    /** What {@code Runtime.getRuntime().halt(status)} does in a cell. */
    public static void runtimeHalt(Runtime runtime, int status) {
        throw new CellExitError("Runtime.halt(" + status + ")");
    }

    /**
     * The class file with every exit call replaced (the same bytes when there is none). The stack
     * effect of each replacement equals the call it replaces, so no frame changes.
     */
    public static byte[] rewrite(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        boolean[] changed = {false};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        String hook = hook(owner, method, desc);
                        if (hook != null && (opcode == Opcodes.INVOKESTATIC || opcode == Opcodes.INVOKEVIRTUAL)) {
                            changed[0] = true;
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, SELF, hook, hookDescriptor(owner), false);
                        } else {
                            super.visitMethodInsn(opcode, owner, method, desc, itf);
                        }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String method, String desc, Handle bootstrap, Object... args) {
                        Object[] rewritten = args.clone();
                        for (int i = 0; i < rewritten.length; i++) {
                            rewritten[i] = constant(rewritten[i]);
                        }
                        super.visitInvokeDynamicInsn(method, desc, bootstrap, rewritten);
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        super.visitLdcInsn(constant(value));
                    }

                    /** A method handle constant to an exit call (System::exit), made one to its hook. */
                    private Object constant(Object value) {
                        if (value instanceof Handle h) {
                            String hook = hook(h.getOwner(), h.getName(), h.getDesc());
                            if (hook != null) {
                                changed[0] = true;
                                return new Handle(Opcodes.H_INVOKESTATIC, SELF, hook, hookDescriptor(h.getOwner()), false);
                            }
                        }
                        return value;
                    }
                };
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : classFile;
    }

    /** The hook for a call, or null if it is not an exit call. */
    private static String hook(String owner, String method, String descriptor) {
        if (!descriptor.equals("(I)V")) {
            return null;
        }
        if (owner.equals(SYSTEM) && method.equals("exit")) {
            return "systemExit";
        }
        if (owner.equals(RUNTIME) && method.equals("exit")) {
            return "runtimeExit";
        }
        if (owner.equals(RUNTIME) && method.equals("halt")) {
            return "runtimeHalt";
        }
        return null;
    }

    private static String hookDescriptor(String owner) {
        return owner.equals(SYSTEM) ? "(I)V" : "(L" + RUNTIME + ";I)V";
    }
}
