// Drives the workbook's Java kernel the way JupyterLab does: through a Jupyter Server, with JupyterLab's
// own client library (@jupyterlab/services). Started by run_jupyterlab_test.py, which starts and stops
// the server:   node client.mjs BASE_URL TOKEN
// Prints one line per check ("ok - ..." or "FAILED - ..."); exits 1 if any check failed.
import { ServerConnection, SessionManager, KernelManager, KernelAPI } from '@jupyterlab/services';
import WebSocket from 'ws';

const [baseUrl, token] = process.argv.slice(2);
const settings = ServerConnection.makeSettings({ baseUrl, wsUrl: baseUrl.replace(/^http/, 'ws'), token, WebSocket });
const STEP_MS = 90_000;
let failures = 0;

function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function check(condition, detail) {
  if (!condition) throw new Error(detail);
}

async function step(name, body) {
  try {
    await within(STEP_MS, body(), name);
    console.log(`ok - ${name}`);
  } catch (error) {
    failures++;
    console.log(`FAILED - ${name}: ${error && error.stack || error}`);
  }
}

/** Runs code; returns the reply content and the IOPub messages of the request (status and input left out). */
async function run(kernel, code, options = {}, onStdin) {
  const future = kernel.requestExecute({ code, allow_stdin: !!onStdin, ...options });
  const outputs = [];
  future.onIOPub = (msg) => {
    if (!['status', 'execute_input'].includes(msg.header.msg_type)) outputs.push(msg);
  };
  if (onStdin) future.onStdin = (msg) => onStdin(future, msg);
  const reply = await future.done;
  return { reply: reply.content, outputs };
}

const of = (outputs, type) => outputs.filter((m) => m.header.msg_type === type);
const json = (value) => JSON.stringify(value);

const kernels = new KernelManager({ serverSettings: settings });
const sessions = new SessionManager({ serverSettings: settings, kernelManager: kernels });
let session;
let kernel;

await step('a session starts on the java kernel and answers kernel_info', async () => {
  session = await sessions.startNew({ path: 'client-test.ipynb', type: 'notebook', name: 'client-test.ipynb', kernel: { name: 'java' } });
  kernel = session.kernel;
  const info = await kernel.info; // the kernel_info reply's content, once the kernel is connected
  check(info.status === 'ok' && info.language_info.name === 'Java' && info.implementation === 'workbook-java', json(info));
});

if (!kernel) {
  console.log('FAILED - no kernel: the remaining checks cannot run');
  process.exit(1);
}

await step('execute: printed text arrives as a stream', async () => {
  const { reply, outputs } = await run(kernel, 'System.out.println("hello from the client");');
  check(reply.status === 'ok', json(reply));
  check(of(outputs, 'stream').map((m) => m.content.text).join('') === 'hello from the client\n', json(outputs));
});

await step('execute: the last expression is the result', async () => {
  const { outputs } = await run(kernel, 'int answer = 6;\nanswer * 7');
  const result = of(outputs, 'execute_result');
  check(result.length === 1 && result[0].content.data['text/plain'] === '42', json(outputs));
});

await step('execute: HTML and PNG display data', async () => {
  const { outputs } = await run(kernel, 'display("<b>bold</b>", "text/html");\nnew java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB)');
  const html = of(outputs, 'display_data');
  check(html.length === 1 && html[0].content.data['text/html'] === '<b>bold</b>', json(outputs));
  const png = of(outputs, 'execute_result')[0];
  check(png && png.content.data['image/png'].startsWith('iVBOR'), json(outputs));
});

await step('execute: update_display replaces a display by its id', async () => {
  const { outputs } = await run(kernel, 'String id = display("first");\nupdateDisplay(id, "second");');
  const shown = of(outputs, 'display_data');
  const updated = of(outputs, 'update_display_data');
  check(shown.length === 1 && updated.length === 1, json(outputs));
  check(updated[0].content.transient.display_id === shown[0].content.transient.display_id, json(outputs));
  check(updated[0].content.data['text/plain'] === 'second', json(updated));
});

await step('errors: an exception is an error reply and an error message', async () => {
  const { reply, outputs } = await run(kernel, 'throw new IllegalStateException("boom");');
  check(reply.status === 'error' && reply.ename.includes('IllegalStateException') && reply.evalue.includes('boom'), json(reply));
  check(of(outputs, 'error').length === 1, json(outputs));
});

await step('stdin: System.in reads what the client answers to input_request', async () => {
  const { reply, outputs } = await run(kernel, 'var line = new java.util.Scanner(System.in).nextLine();\n"read: " + line', {},
    (future, msg) => future.sendInputReply({ status: 'ok', value: 'typed text' }, msg.header));
  check(reply.status === 'ok', json(reply));
  check(of(outputs, 'execute_result')[0].content.data['text/plain'] === 'read: typed text', json(outputs));
});

await step('completion', async () => {
  const code = 'System.out.printl';
  const reply = (await kernel.requestComplete({ code, cursor_pos: code.length })).content;
  check(reply.status === 'ok' && reply.matches.includes('println('), json(reply));
});

await step('inspection', async () => {
  const reply = (await kernel.requestInspect({ code: 'Math.max', cursor_pos: 8, detail_level: 0 })).content;
  check(reply.status === 'ok' && reply.found && reply.data['text/plain'].includes('Math.max'), json(reply));
});

await step('is_complete: complete, incomplete, invalid', async () => {
  const status = async (code) => (await kernel.requestIsComplete({ code })).content.status;
  check(await status('int x = 1;') === 'complete', 'int x = 1;');
  check(await status('for (int i = 0; i < 3; i++) {') === 'incomplete', 'an open block');
  check(await status('int x = ;') === 'invalid', 'int x = ;');
});

await step('history: the tail holds the cells run', async () => {
  const reply = (await kernel.requestHistory({ output: false, raw: true, hist_access_type: 'tail', n: 50 })).content;
  check(reply.status === 'ok' && reply.history.some((entry) => entry[2].includes('hello from the client')), json(reply));
});

await step('user_expressions: evaluated after the cell, each on its own', async () => {
  const { reply } = await run(kernel, 'int base = 20;', { user_expressions: { twice: 'base * 2', broken: 'base / 0' } });
  check(reply.status === 'ok', json(reply));
  check(reply.user_expressions.twice.status === 'ok' && reply.user_expressions.twice.data['text/plain'] === '40', json(reply));
  check(reply.user_expressions.broken.status === 'error' && reply.user_expressions.broken.ename === 'ArithmeticException', json(reply));
});

for (const [what, code] of [['a CPU loop', 'long n = 0;\nwhile (true) { n++; }'], ['a sleep', 'Thread.sleep(600_000);']]) {
  await step(`interrupt stops ${what}`, async () => {
    const future = kernel.requestExecute({ code });
    let started = false;
    future.onIOPub = (msg) => { if (msg.header.msg_type === 'execute_input') started = true; };
    while (!started) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const asked = Date.now();
    await kernel.interrupt();
    const reply = (await within(30_000, future.done, 'the interrupted cell')).content;
    check(reply.status === 'error', json(reply));
    console.log(`#   ${what} stopped ${Date.now() - asked} ms after the interrupt`);
    const after = await run(kernel, '1 + 1');
    check(after.reply.status === 'ok', 'the kernel runs cells after the interrupt: ' + json(after.reply));
  });
}

await step('restart: a fresh kernel, the old variables gone', async () => {
  await kernel.restart();
  const { reply } = await run(kernel, 'answer');
  check(reply.status === 'error', 'answer is not defined after a restart: ' + json(reply));
  const fresh = await run(kernel, '"alive"');
  check(of(fresh.outputs, 'execute_result')[0].content.data['text/plain'] === 'alive', json(fresh.outputs));
});

await step('shutdown: the session and its kernel are gone from the server', async () => {
  const id = kernel.id;
  await session.shutdown();
  const running = await KernelAPI.listRunning(settings);
  check(!running.some((k) => k.id === id), json(running));
});

sessions.dispose();
kernels.dispose();
console.log(failures === 0 ? 'all checks passed' : `${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
