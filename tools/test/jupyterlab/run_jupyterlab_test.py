#!/usr/bin/python3
"""JupyterLab's client library against the workbook's Java kernel, through a real Jupyter Server.

client.mjs (Node, @jupyterlab/services from npm, the library JupyterLab itself talks to kernels with)
drives Debian's jupyter_server (python3-jupyter-server): a session, execute (stream, result, HTML, PNG,
update_display), errors, stdin, completion, inspection, is_complete, history, user_expressions, interrupting
a CPU loop and a sleep, restart and shutdown. This script sets it up and always tears it down:

  1. installs the npm packages into tools/test/jupyterlab/node_modules (git-ignored) from the committed
     package-lock.json when they are missing (`npm ci`);
  2. installs the kernel (kernelspec "java") into a scratch Jupyter path, unless JUPYTER_PATH already names
     one (./workbook test does); every Jupyter directory points into the scratch directory;
  3. starts the server on 127.0.0.1, on a free port, with a random token, in its own process group;
  4. runs the client; then shuts the server down (its shutdown API, then SIGTERM, then SIGKILL), ends any
     process still running from the scratch directory (a kernel) and fails if there was one, and removes
     the scratch directory, also when a check failed or the script was stopped by a signal.

    /usr/bin/python3 tools/test/jupyterlab/run_jupyterlab_test.py

Exit status: 0 when every check passed, 1 when one failed, 2 when something it needs is missing.
"""

import os
import pathlib
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(HERE.parent / "browser"))
# The browser test's process bookkeeping: processes found by a path in their command line, told apart
# from later ones with the same pid by their start time, so only ours are ever killed.
from run_browser_test import free_port, kill_survivors, processes_using, survivors  # noqa: E402
SERVER_START_SECONDS = 60
CLIENT_SECONDS = 900


class Missing(Exception):
    """Something the test needs is not there: exit status 2."""


class Stopped(BaseException):
    """SIGTERM or SIGHUP: stop, but tear everything down first."""


def stop_on_signal(signum, frame):
    raise Stopped(signal.Signals(signum).name)


def say(text):
    print(f"[jupyterlab-client] {text}", flush=True)


def ensure_node_packages():
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            raise Missing(f"{tool} is needed (Debian: apt-get install nodejs npm)")
    if not (HERE / "node_modules" / "@jupyterlab" / "services").is_dir():
        say("installing @jupyterlab/services from npm (npm ci)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)


def wait_for_server(server, url, token, log):
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the Jupyter server exited ({server.returncode}):\n{log.read_text()}")
        try:
            request = urllib.request.Request(url + "api/status", headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(request, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"the Jupyter server did not answer within {SERVER_START_SECONDS} s:\n{log.read_text()}")


def stop_server(server, url, token):
    if server.poll() is None:
        try:
            request = urllib.request.Request(url + "api/shutdown", method="POST", data=b"",
                                             headers={"Authorization": f"token {token}"})
            urllib.request.urlopen(request, timeout=5).close()
        except (urllib.error.URLError, OSError):
            pass
    for sig, grace in ((None, 15), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if server.poll() is not None:
            return
        if sig is not None:
            try:
                os.killpg(server.pid, sig)
            except ProcessLookupError:
                return
        try:
            server.wait(grace)
        except subprocess.TimeoutExpired:
            pass


def end_leftovers(tracked, scratch):
    """Kills the processes (kernels: their connection file is in the scratch directory) still running a
    while after the server stopped; returns a description of each (empty: none was left)."""
    tracked.update(processes_using(scratch))
    deadline = time.monotonic() + 10  # a kernel whose server is gone ends by itself within a second or so
    while survivors(tracked) and time.monotonic() < deadline:
        time.sleep(0.2)
    return kill_survivors(tracked, "still running after the server stopped, killed")


def main():
    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGHUP, stop_on_signal)
    python = "/usr/bin/python3"
    if subprocess.run([python, "-c", "import jupyter_server"], capture_output=True).returncode != 0:
        raise Missing("Debian's Jupyter Server is needed: apt-get install python3-jupyter-server")
    ensure_node_packages()

    scratch = pathlib.Path(tempfile.mkdtemp(prefix="workbook-jupyterlab-"))
    server = client = None
    url = token = None
    tracked = {}
    status = 1
    try:
        env = dict(os.environ)
        env.update(JUPYTER_RUNTIME_DIR=str(scratch / "runtime"), JUPYTER_DATA_DIR=str(scratch / "data"),
                   JUPYTER_CONFIG_DIR=str(scratch / "config"), JUPYTER_PLATFORM_DIRS="1")
        if not env.get("JUPYTER_PATH"):
            subprocess.run([str(ROOT / "kernel" / "install"), "--prefix", str(scratch / "prefix"), "--replace"],
                           env={**env, "SKIP_BUILD": "1"}, check=True, stdout=subprocess.DEVNULL)
            env["JUPYTER_PATH"] = str(scratch / "prefix" / "share" / "jupyter")
        (scratch / "root").mkdir()
        port, token = free_port(), secrets.token_hex(24)
        url = f"http://127.0.0.1:{port}/"
        log = scratch / "server.log"
        with open(log, "wb") as server_log:
            server = subprocess.Popen(
                [python, "-m", "jupyter_server", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
                 "--ServerApp.port_retries=0", f"--ServerApp.token={token}", "--ServerApp.open_browser=False",
                 "--ServerApp.allow_root=True",  # CI runs as root
                 f"--ServerApp.root_dir={scratch / 'root'}"],
                env=env, stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_server(server, url, token, log)
        say(f"Jupyter Server on {url}; running client.mjs")
        started = time.monotonic()
        client = subprocess.Popen(["node", str(HERE / "client.mjs"), url, token], cwd=HERE)
        while client.poll() is None:  # note the kernels while they run: a restart makes a new one
            tracked.update(processes_using(scratch))
            if time.monotonic() - started > CLIENT_SECONDS:
                client.kill()
                client.wait()
                say(f"FAILED - the client did not finish within {CLIENT_SECONDS} s")
            time.sleep(0.5)
        say(f"client finished in {time.monotonic() - started:.1f} s")
        status = 0 if client.returncode == 0 else 1
        if status:
            say("server log:\n" + log.read_text(errors="replace")[-20000:])
    finally:
        if client is not None and client.poll() is None:
            client.kill()
            client.wait()
        if server is not None:
            stop_server(server, url, token)
        for leftover in end_leftovers(tracked, scratch):
            say(f"FAILED - {leftover}")
            status = 1
        shutil.rmtree(scratch, ignore_errors=True)
    return status


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Missing as missing:
        print(f"[jupyterlab-client] missing: {missing}", file=sys.stderr)
        sys.exit(2)
    except Stopped as stopped:
        print(f"[jupyterlab-client] stopped by {stopped}", file=sys.stderr)
        sys.exit(1)
