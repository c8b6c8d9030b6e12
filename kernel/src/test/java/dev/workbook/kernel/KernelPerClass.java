package dev.workbook.kernel;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class one real kernel process ({@link RunningKernel#start()}) for all of its tests: declare
 * {@code @ExtendWith(KernelPerClass.class)} and take a {@link RunningKernel} in the constructor (or in a
 * test method). The kernel starts when the first test of the class needs it and is closed (shut down,
 * its processes ended) when the class's last test has run, whatever the tests did.
 */
final class KernelPerClass implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KernelPerClass.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RunningKernel.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // Stored on the class's context: the store closes it (RunningKernel is AutoCloseable) when the class ends.
        return classContext(context).getStore(NAMESPACE).getOrComputeIfAbsent(RunningKernel.class, type -> {
            try {
                return RunningKernel.start();
            } catch (Exception e) {
                throw new IllegalStateException("the kernel for " + context.getRequiredTestClass().getSimpleName()
                        + " did not start", e);
            }
        }, RunningKernel.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext classLevel = context;
        while (classLevel.getTestMethod().isPresent() && classLevel.getParent().isPresent()) {
            classLevel = classLevel.getParent().get();
        }
        return classLevel;
    }
}
