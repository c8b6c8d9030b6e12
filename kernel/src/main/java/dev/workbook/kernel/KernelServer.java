package dev.workbook.kernel;

import dev.workbook.kernel.eval.CellEvaluator;
import dev.workbook.kernel.eval.CellFailure;
import dev.workbook.kernel.eval.CodeIntelligence;
import dev.workbook.kernel.eval.QuickCompleteness;
import dev.workbook.kernel.exec.CellExecutionControl;
import dev.workbook.kernel.exec.CellRun;
import dev.workbook.kernel.exec.ChildProcesses;
import dev.workbook.kernel.exec.KernelThreads;
import dev.workbook.kernel.output.OutputRouter;
import dev.workbook.kernel.protocol.CommEnvironment;
import dev.workbook.kernel.protocol.IopubPublisher;
import dev.workbook.kernel.protocol.KernelChannels;
import dev.workbook.kernel.protocol.Replies;
import dev.workbook.kernel.protocol.Request;
import com.google.gson.JsonObject;
import org.dflib.jjava.jupyter.kernel.comm.Comm;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.dflib.jjava.jupyter.messages.request.CommInfoRequest;
import org.dflib.jjava.jupyter.messages.request.CompleteRequest;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.InspectRequest;
import org.dflib.jjava.jupyter.messages.request.IsCompleteRequest;
import org.dflib.jjava.jupyter.messages.request.ShutdownRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers the requests of the Jupyter messaging protocol: every request is framed by {@code busy} and
 * {@code idle} on IOPub, every reply carries the fields the spec requires, and a failing cell with
 * {@code stop_on_error} aborts the execute requests already queued behind it (as IPython does, so that
 * "Run All" stops at the first error).
 *
 * <p>Shell requests are handled one at a time on the shell thread; control requests (interrupt, shutdown,
 * kernel info) on the control thread, so an interrupt is served while a cell runs.
 */
final class KernelServer {

    private static final Logger LOG = LoggerFactory.getLogger(KernelServer.class);

    private static final Set<Class<?>> INSTANT_TO_STRING = Set.of(String.class, Boolean.class, Character.class,
            Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class);

    private final KernelChannels channels;
    private final IopubPublisher publisher;
    private final OutputRouter router;
    private final WorkbookKernel kernel;
    private final CellExecutionControl control;
    private final SessionHistory history;
    private final String version;
    private final AtomicInteger executionCount = new AtomicInteger(1);
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final ExecutorService snapshots = Executors.newSingleThreadExecutor(KernelThreads.factory());
    private volatile Set<Long> knownProcesses = Set.of();
    private volatile boolean restartRequested;

    KernelServer(KernelChannels channels, OutputRouter router, WorkbookKernel kernel, CellExecutionControl control,
                 SessionHistory history, String version) {
        this.channels = channels;
        this.publisher = channels.publisher();
        this.router = router;
        this.kernel = kernel;
        this.control = control;
        this.history = history;
        this.version = version;
        snapshots.execute(() -> knownProcesses = ChildProcesses.snapshot());
    }

    void onShell(Request request) {
        abort(handle(request));
    }

    void onControl(Request request) {
        handle(request);
    }

    /**
     * Handles one request between busy and idle; returns the requests that were queued behind it and
     * must be aborted (a failed cell's, with {@code stop_on_error}), usually none.
     */
    private List<Request> handle(Request request) {
        publishStatus(request, PublishStatus.BUSY);
        List<Request> abort = List.of();
        try {
            MessageType<?> type = request.type();
            if (type == MessageType.EXECUTE_REQUEST) {
                abort = execute(request);
            } else if (type == MessageType.KERNEL_INFO_REQUEST) {
                request.reply(MessageType.KERNEL_INFO_REPLY, Replies.kernelInfo(WorkbookKernel.IMPLEMENTATION, version,
                        Runtime.version().toString(), kernel.getBanner(), WorkbookKernel.helpLinks()));
            } else if (type == MessageType.COMPLETE_REQUEST) {
                complete(request);
            } else if (type == MessageType.INSPECT_REQUEST) {
                inspect(request);
            } else if (type == MessageType.IS_COMPLETE_REQUEST) {
                isComplete(request);
            } else if (type == MessageType.HISTORY_REQUEST) {
                history(request);
            } else if (type == MessageType.INTERRUPT_REQUEST) {
                kernel.interrupt();
                request.reply(MessageType.INTERRUPT_REPLY, Replies.ok());
            } else if (type == MessageType.SHUTDOWN_REQUEST) {
                restartRequested = ((ShutdownRequest) request.content()).isRestart();
                publisher.flush();
                request.reply(MessageType.SHUTDOWN_REPLY, Replies.shutdown(restartRequested));
                shutdown.countDown();
            } else if (type == MessageType.COMM_INFO_REQUEST) {
                commInfo(request);
            } else if (type == MessageType.COMM_OPEN_COMMAND) {
                // What a comm handler sends answers the comm message, as in ipykernel (set for each below).
                kernel.getCommManager().setMessageContext(request.message());
                kernel.getCommManager().handleCommOpenCommand(new CommEnvironment(request, publisher), cast(request.message()));
            } else if (type == MessageType.COMM_MSG_COMMAND) {
                kernel.getCommManager().setMessageContext(request.message());
                kernel.getCommManager().handleCommMsgCommand(new CommEnvironment(request, publisher), cast(request.message()));
            } else if (type == MessageType.COMM_CLOSE_COMMAND) {
                kernel.getCommManager().setMessageContext(request.message());
                kernel.getCommManager().handleCommCloseCommand(new CommEnvironment(request, publisher), cast(request.message()));
            } else {
                LOG.debug("no handler for a {} message", type.getName());
            }
        } catch (RuntimeException | Error e) {
            LOG.error("failed to answer a {} request", request.type().getName(), e);
        } finally {
            publishStatus(request, PublishStatus.IDLE);
        }
        return abort;
    }

    @SuppressWarnings("unchecked")
    private static <T> Message<T> cast(Message<?> message) {
        return (Message<T>) message;
    }

    private void publishStatus(Request request, PublishStatus status) {
        publisher.publishNow(new Message<>(request.message(), PublishStatus.MESSAGE_TYPE, status));
    }

    /** Runs a cell; returns true if it failed and asked to stop on error. */
    private List<Request> execute(Request request) {
        long started = System.nanoTime();
        ExecuteRequest content = (ExecuteRequest) request.content();
        String code = content.getCode() == null ? "" : content.getCode();
        boolean silent = content.isSilent();
        boolean store = content.shouldStoreHistory() && !silent;
        int count = store ? executionCount.getAndIncrement() : executionCount.get();
        if (!silent) {
            publisher.publishNow(new Message<>(request.message(), PublishExecuteInput.MESSAGE_TYPE, new PublishExecuteInput(code, count)));
        }
        if (store) {
            history.recordInput(count, code);
        }
        kernel.getCommManager().setMessageContext(request.message());
        CellRun run = new CellRun(count, request.message(), silent, content.isStdinEnabled(),
                KernelThreads.notebookGroup(), knownProcesses);
        router.begin(run);
        kernel.setRunning(run);
        boolean failed = false;
        JsonObject reply;
        try {
            NotebookShell shell = kernel.shell();
            Object value = shell.evaluator.evaluate(run, "Cell In[" + count + "]", code);
            kernel.retryFailedExtensions();
            if (value != CellEvaluator.NO_VALUE && value != null && !silent && !run.displayed(value)) {
                DisplayData data = render(run, value);
                CellEvaluator.throwIfInterrupted(run);
                publisher.publishNow(new Message<>(request.message(), PublishExecuteResult.MESSAGE_TYPE,
                        new PublishExecuteResult(count, data)));
                if (store) {
                    history.recordOutput(count, String.valueOf(data.getData(MIMEType.TEXT_PLAIN)));
                }
            }
            reply = Replies.executeOk(count, new JsonObject());
        } catch (CellFailure failure) {
            failed = true;
            reply = reportFailure(request, count, silent, failure.errorName(), failure.errorValue(), failure.traceback());
        } catch (RuntimeException | Error e) {
            failed = true;
            LOG.error("the kernel failed to run cell {}", count, e);
            reply = reportFailure(request, count, silent, e.getClass().getSimpleName(), String.valueOf(e.getMessage()),
                    List.of("Kernel error: " + e));
        } finally {
            kernel.setRunning(null);
            router.end(run);
            run.finish();
        }
        if (!failed) {
            reply.add("user_expressions", userExpressions(request, count, content.getUserExpr()));
        }
        long evaluated = System.nanoTime();
        // What is queued behind a failed cell is taken before its reply goes out: a request the client
        // sends once it has seen the error is a new one, not one queued behind the cell, and runs.
        List<Request> behind = failed && content.shouldStopOnError() && !silent ? channels.takeWaitingShellRequests() : List.of();
        publisher.flush();
        request.reply(MessageType.EXECUTE_REPLY, reply);
        if (LOG.isDebugEnabled()) {
            LOG.debug("cell {}: evaluated in {} us, output sent {} us later", count,
                    (evaluated - started) / 1000, (System.nanoTime() - evaluated) / 1000);
        }
        snapshots.execute(() -> knownProcesses = ChildProcesses.snapshot());
        return behind;
    }

    /**
     * Evaluates a request's {@code user_expressions} after its cell succeeded, as ipykernel does: each
     * one's rendered value, or an error for that expression alone. They run as a silent run of the same
     * cell: they print nothing, do not count, are not in the history, and an interrupt stops them.
     */
    private JsonObject userExpressions(Request request, int count, Map<String, String> expressions) {
        JsonObject results = new JsonObject();
        if (expressions == null || expressions.isEmpty()) {
            return results;
        }
        CellRun run = new CellRun(count, request.message(), true, false, KernelThreads.notebookGroup(), knownProcesses);
        router.begin(run);
        kernel.setRunning(run);
        try {
            NotebookShell shell = kernel.shell();
            for (Map.Entry<String, String> expression : expressions.entrySet()) {
                try {
                    Object value = shell.evaluator.evaluateExpression(run, "user_expressions['" + expression.getKey() + "']",
                            expression.getValue());
                    results.add(expression.getKey(), Replies.expressionValue(value == null ? new DisplayData("null") : render(run, value)));
                } catch (CellFailure failure) {
                    results.add(expression.getKey(), Replies.error(failure.errorName(), failure.errorValue(), failure.traceback()));
                }
            }
        } finally {
            kernel.setRunning(null);
            router.end(run);
            run.finish();
        }
        return results;
    }

    /** Renders a cell's value on a thread of the cell: rendering calls user code (toString, render methods). */
    private DisplayData render(CellRun run, Object value) {
        if (value instanceof DisplayData) {
            return (DisplayData) value;
        }
        if (INSTANT_TO_STRING.contains(value.getClass())) {
            return kernel.getRenderer().render(value); // boxed primitives and strings: no user code, no long toString
        }
        try {
            return (DisplayData) control.callInCell(run, () -> kernel.getRenderer().render(value));
        } catch (InvocationTargetException e) {
            return new DisplayData("<" + value.getClass().getName() + " could not be rendered: " + e.getCause() + ">");
        } catch (Exception e) {
            return new DisplayData("<not rendered: " + e + ">");
        }
    }

    private JsonObject reportFailure(Request request, int count, boolean silent, String name,
                                                     String value, List<String> traceback) {
        if (!silent) {
            publisher.publishNow(new Message<>(request.message(), PublishError.MESSAGE_TYPE,
                    new PublishError(name, value, traceback)));
        }
        return Replies.executeError(count, name, value, traceback);
    }

    /** Replies "aborted" to the execute requests that waited behind a failed cell; other requests are answered. */
    private void abort(List<Request> behind) {
        for (Request waiting : behind) {
            if (waiting.type() == MessageType.EXECUTE_REQUEST) {
                publishStatus(waiting, PublishStatus.BUSY);
                waiting.reply(MessageType.EXECUTE_REPLY, Replies.aborted());
                publishStatus(waiting, PublishStatus.IDLE);
            } else {
                handle(waiting);
            }
        }
    }

    private void complete(Request request) {
        CompleteRequest content = (CompleteRequest) request.content();
        String code = content.getCode() == null ? "" : content.getCode();
        try {
            CodeIntelligence.Completions completions = kernel.shell().intelligence.complete(code, content.getCursorPos());
            request.reply(MessageType.COMPLETE_REPLY, Replies.complete(completions.matches, completions.start, completions.end));
        } catch (RuntimeException e) {
            LOG.debug("completion failed", e);
            request.reply(MessageType.COMPLETE_REPLY, Replies.complete(List.of(), content.getCursorPos(), content.getCursorPos()));
        }
    }

    private void inspect(Request request) {
        InspectRequest content = (InspectRequest) request.content();
        Map<String, String> data = new LinkedHashMap<>();
        try {
            CodeIntelligence.Documentation docs = kernel.shell().intelligence.inspect(
                    content.getCode() == null ? "" : content.getCode(), content.getCursorPos(), content.getDetailLevel() > 0);
            if (docs != null) {
                data.put("text/plain", docs.text);
                data.put("text/html", docs.html);
            }
        } catch (RuntimeException e) {
            LOG.debug("inspection failed", e);
        }
        request.reply(MessageType.INSPECT_REPLY, Replies.inspect(data));
    }

    private void isComplete(Request request) {
        IsCompleteRequest content = (IsCompleteRequest) request.content();
        String answer;
        try {
            String code = content.getCode() == null ? "" : content.getCode();
            // Not waiting for start-up: a console that waits over a second once stops asking for good.
            NotebookShell shell = kernel.shellIfReady();
            answer = shell != null ? shell.intelligence.isComplete(code) : QuickCompleteness.isComplete(code);
        } catch (RuntimeException e) {
            LOG.debug("is_complete failed", e);
            answer = null;
        }
        if (answer == null) {
            request.reply(MessageType.IS_COMPLETE_REPLY, Replies.isComplete("unknown", ""));
        } else if (answer.equals("complete") || answer.equals("invalid")) {
            request.reply(MessageType.IS_COMPLETE_REPLY, Replies.isComplete(answer, ""));
        } else {
            request.reply(MessageType.IS_COMPLETE_REPLY, Replies.isComplete("incomplete", answer));
        }
    }

    private void history(Request request) {
        HistoryRequest content = (HistoryRequest) request.content();
        Set<HistoryManager.ResultFlag> flags = EnumSet.noneOf(HistoryManager.ResultFlag.class);
        if (content.includeOutput()) {
            flags.add(HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        }
        List<HistoryEntry> entries;
        switch (content.getAccessType()) {
            case TAIL:
                entries = history.lookupTail(((HistoryRequest.Tail) content).getMaxReturnLength(), flags);
                break;
            case RANGE:
                HistoryRequest.Range range = (HistoryRequest.Range) content;
                entries = history.lookupRange(range.getSessionIndex(), range.getStart(), range.getStop(), flags);
                break;
            default:
                HistoryRequest.Search search = (HistoryRequest.Search) content;
                if (search.filterUnique()) {
                    flags.add(HistoryManager.ResultFlag.UNIQUE);
                }
                entries = history.search(search.getPattern(), search.getMaxReturnLength(), flags);
        }
        request.reply(MessageType.HISTORY_REPLY, Replies.history(entries));
    }

    private void commInfo(Request request) {
        CommInfoRequest content = (CommInfoRequest) request.content();
        Map<String, String> comms = new LinkedHashMap<>();
        for (Comm comm : kernel.getCommManager()) {
            if (content.getTargetName() == null || content.getTargetName().equals(comm.getTargetName())) {
                comms.put(comm.getID(), comm.getTargetName());
            }
        }
        request.reply(MessageType.COMM_INFO_REPLY, Replies.commInfo(comms));
    }

    /** Blocks until a shutdown request arrives; returns whether a restart follows. */
    boolean awaitShutdown() throws InterruptedException {
        shutdown.await();
        return restartRequested;
    }

    /** Shuts the kernel down without a request (its front end is gone). */
    void shutDown() {
        shutdown.countDown();
    }

    void stop() {
        snapshots.shutdownNow();
    }
}
