#!/usr/bin/python3
"""Browser test: a notebook opened in Debian's classic Jupyter Notebook server, in headless Chromium, runs on
the workbook's Java kernel.

What it does, as a user would:
  1. installs the kernel (kernelspec "java") into a private Jupyter path, so the user's Jupyter set-up is not
     read or touched (JUPYTER_PATH, JUPYTER_DATA_DIR, JUPYTER_CONFIG_DIR, JUPYTER_RUNTIME_DIR all point into
     a scratch directory);
  2. starts the classic Notebook server (Debian's notebook 6, /usr/bin/python3 -m notebook) on a free loopback
     port with a random token, on a scratch view of the repository: its notebooks/ folder holds copies of the
     notebooks (so autosave never writes into the repository), every other top-level entry is a symlink, so
     a notebook's `%jars ../lib/target/...` lines load the library built in the repository;
  3. drives headless Chromium through chromedriver (Selenium):
     - tools/test/browser/browser-smoke.ipynb: Cell > Run All from the menu, then types one more cell and runs
       it with Shift+Enter; checks the printed text, the Tablesaw table (an HTML <table>) and the XChart chart
       (a decoded PNG <img>) in the page;
     - each notebook given with --notebook (by default the first of notebooks/*.ipynb, if any): runs its
       set-up cells (up to the first code cell after the %jars cell) with Shift+Enter, checks they ran
       without error and the last one printed something;
  4. saves a screenshot of each notebook in target/browser-test/ (on failure: FAILED-*.png, the page's HTML
     and the server's and chromedriver's logs), shuts down Chromium, chromedriver, the server and its kernels,
     checks that none of their processes is left, and removes the scratch directory.

Needs (Debian): jupyter-notebook chromium chromium-driver python3-selenium, a JDK, and the repository built
(`mvn -B -q -DskipTests package` at its root). Usage:

    tools/test/browser/run_browser_test.py [--notebook notebooks/NAME.ipynb ...] [--no-default-notebook]
                                           [--out DIR] [--keep]

Exit status: 0 when every check passed, 1 when a check failed, 2 when something it needs is missing.
"""

import argparse
import glob
import json
import os
import pathlib
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SMOKE = HERE / "browser-smoke.ipynb"
KERNEL_DISPLAY_NAME = "Java (workbook)"

# Headless Chromium on a machine without network: no sandbox (CI runs as root), no GPU, and none of the
# background services that would otherwise keep trying to reach Google's servers.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",  # containers often have a 64 MB /dev/shm, too small for Chromium
    "--window-size=1280,2000",
]

DEBIAN_PACKAGES = "jupyter-notebook chromium chromium-driver python3-selenium"


class Missing(Exception):
    """Something the test needs is not there: exit status 2, with what to install or build."""


class Failed(Exception):
    """A check failed: exit status 1."""


class Stopped(BaseException):
    """SIGTERM or SIGHUP (a CI timeout, a closed terminal): stop, but shut everything down first."""


def stop_on_signal(signum, frame):
    raise Stopped(signal.Signals(signum).name)


def log(message):
    print(f"[browser-test {time.monotonic() - STARTED:5.1f}s] {message}", file=sys.stderr, flush=True)


STARTED = time.monotonic()


# ---------------------------------------------------------------------------------------------------------
# What the test needs

def check_prerequisites(notebooks):
    problems = []
    try:
        import selenium  # noqa: F401
    except ImportError:
        problems.append(f"Selenium for {sys.executable} (Debian: apt-get install python3-selenium)")
    notebook_version = subprocess.run(
        ["/usr/bin/python3", "-s", "-c", "import notebook; print(notebook.__version__)"],
        capture_output=True, text=True).stdout.strip() if os.path.exists("/usr/bin/python3") else ""
    if not notebook_version.startswith("6."):
        problems.append("the classic Jupyter Notebook server 6.x under /usr/bin/python3 "
                        f"(found: {notebook_version or 'none'}; Debian: apt-get install jupyter-notebook)")
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.access(chromium, os.X_OK):
        problems.append(f"Chromium at {chromium} (Debian: apt-get install chromium; or set CHROMIUM)")
    chromedriver = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    if not os.access(chromedriver, os.X_OK):
        problems.append(f"chromedriver at {chromedriver} (Debian: apt-get install chromium-driver; "
                        "or set CHROMEDRIVER)")
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else shutil.which("java")
    if not java or not os.access(java, os.X_OK):
        problems.append("a JDK, 17 or newer, as JAVA_HOME or java on PATH (Debian: apt-get install openjdk-17-jdk-headless)")
    if problems:
        raise Missing("the browser test needs:\n  - " + "\n  - ".join(problems)
                      + f"\nOn Debian: apt-get install -y {DEBIAN_PACKAGES}")

    unbuilt = []
    if not glob.glob(str(ROOT / "lib/target/workbook-lib-*.jar")) or not glob.glob(str(ROOT / "lib/target/dependency/*.jar")):
        unbuilt.append("the library (lib/target/workbook-lib-*.jar and lib/target/dependency/)")
    if not (ROOT / "kernel/target/workbook-kernel.jar").is_file() or not (ROOT / "kernel/target/lib").is_dir():
        unbuilt.append("the kernel (kernel/target/workbook-kernel.jar and kernel/target/lib/)")
    if unbuilt:
        raise Missing("not built: " + " and ".join(unbuilt)
                      + f"\nBuild them first: (cd {ROOT} && mvn -B -q -DskipTests package)")
    for notebook in notebooks:
        if not notebook.is_file():
            raise Missing(f"no notebook {notebook}")
    return chromium, chromedriver


# ---------------------------------------------------------------------------------------------------------
# Processes: every one the test starts is accounted for, and none may outlive it

def process_start_time(pid):
    """The start time of a process (clock ticks since boot), to tell it from a later one with the same pid."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def descendants(pid):
    """Every live process below pid, as {pid: (start time, command)}."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat.rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append((int(entry), int(fields[19]), comm))
        except (OSError, ValueError, IndexError):
            continue
    found, todo = {}, [pid]
    while todo:
        for child, start, comm in children.get(todo.pop(), []):
            found[child] = (start, comm)
            todo.append(child)
    return found


def processes_using(path):
    """Live processes whose command line mentions path (the scratch directory), as {pid: (start, command)}."""
    found = {}
    needle = os.fsencode(str(path))
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        if needle in cmdline:
            start = process_start_time(entry)
            if start is not None:
                found[int(entry)] = (start, cmdline.split(b"\0")[0].decode(errors="replace"))
    return found


def survivors(tracked):
    return {pid: info for pid, info in tracked.items() if process_start_time(pid) == info[0]}


def kill_survivors(tracked, what):
    """Kills, by pid, the tracked processes still alive; returns a description of them (empty: none left)."""
    left = survivors(tracked)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return [f"{what}: pid {pid} ({command[:100]})" for pid, (_, command) in sorted(left.items())]


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path, lines=40):
    try:
        return "\n".join(pathlib.Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# ---------------------------------------------------------------------------------------------------------
# The scratch directory: a private Jupyter set-up and a view of the repository

def make_scratch(notebooks):
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="workbook-browser-test-"))
    repo = scratch / "repo"
    repo.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in ("notebooks", "target", ".git"):
            (repo / entry.name).symlink_to(entry)
    (repo / "notebooks").mkdir()
    for notebook in [SMOKE, *notebooks]:
        shutil.copy2(notebook, repo / "notebooks" / notebook.name)
    for d in ("jupyter/data", "jupyter/config", "jupyter/runtime", "ipython", "xdg/config", "xdg/cache", "chromium"):
        (scratch / d).mkdir(parents=True)
    return scratch


def jupyter_env(scratch):
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("JUPYTER") or name in ("PYTHONPATH", "PYTHONHOME", "IPYTHONDIR"):
            del env[name]
    env.update(
        JUPYTER_PATH=str(scratch / "jupyter/prefix/share/jupyter"),
        JUPYTER_DATA_DIR=str(scratch / "jupyter/data"),
        JUPYTER_CONFIG_DIR=str(scratch / "jupyter/config"),
        JUPYTER_RUNTIME_DIR=str(scratch / "jupyter/runtime"),
        IPYTHONDIR=str(scratch / "ipython"),
        PYTHONNOUSERSITE="1",  # Debian's notebook, not one pip put in ~/.local
        PYDEVD_DISABLE_FILE_VALIDATION="1",  # quiets a debugger warning Python 3.11 prints at server start
        JUPYTER_PLATFORM_DIRS="0",
    )
    return env


def install_kernel(scratch, env):
    result = subprocess.run([str(ROOT / "kernel/install"), "--prefix", str(scratch / "jupyter/prefix"), "--replace"],
                            env=dict(env, SKIP_BUILD="1"), capture_output=True, text=True)
    if result.returncode != 0:
        raise Missing("kernel/install failed:\n" + result.stdout + result.stderr)
    spec = scratch / "jupyter/prefix/share/jupyter/kernels/java/kernel.json"
    if not spec.is_file():
        raise Missing(f"kernel/install did not write {spec}:\n{result.stdout}{result.stderr}")


# ---------------------------------------------------------------------------------------------------------
# The notebook server

class NotebookServer:
    def __init__(self, scratch, env):
        self.scratch = scratch
        self.env = env
        self.token = secrets.token_hex(24)
        self.log_path = scratch / "notebook-server.log"
        self.process = None
        self.port = None

    def start(self, timeout=60):
        for attempt in range(3):  # the free port may be taken between choosing and binding it
            self.port = free_port()
            with open(self.log_path, "ab") as log_file:
                self.process = subprocess.Popen(
                    ["/usr/bin/python3", "-s", "-m", "notebook",
                     "--no-browser", "--ip=127.0.0.1", f"--port={self.port}", "--port-retries=0",
                     "--allow-root",  # CI runs as root
                     f"--notebook-dir={self.scratch / 'repo/notebooks'}",
                     f"--NotebookApp.token={self.token}", "--NotebookApp.password=",
                     "--KernelSpecManager.ensure_native_kernel=False"],
                    env=self.env, cwd=self.scratch, stdin=subprocess.DEVNULL, stdout=log_file,
                    stderr=subprocess.STDOUT, start_new_session=True)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    break
                try:
                    request = urllib.request.Request(f"{self.url}api/status",
                                                     headers={"Authorization": f"token {self.token}"})
                    with urllib.request.urlopen(request, timeout=5) as response:
                        if response.status == 200:
                            return
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                time.sleep(0.3)
            else:
                raise Failed(f"the notebook server did not answer on {self.url} within {timeout} s:\n"
                             + tail(self.log_path))
            if "already in use" not in tail(self.log_path, 10):
                raise Failed(f"the notebook server exited with status {self.process.returncode}:\n"
                             + tail(self.log_path))
        raise Failed("the notebook server found no free port in 3 attempts:\n" + tail(self.log_path))

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/"

    def notebook_url(self, name):
        return f"{self.url}notebooks/{name}?token={self.token}"

    def stop(self, timeout=30):
        """SIGTERM: the server stops its kernels (shutdown request, then kill) and exits."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            log(f"the notebook server did not stop within {timeout} s of SIGTERM; killing its process group")
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# ---------------------------------------------------------------------------------------------------------
# The browser

def start_browser(scratch, chromium, chromedriver):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={scratch / 'chromium'}")
    # Chromium's caches and config go into the scratch directory too.
    env = dict(os.environ, XDG_CONFIG_HOME=str(scratch / "xdg/config"), XDG_CACHE_HOME=str(scratch / "xdg/cache"))
    service = Service(executable_path=chromedriver, log_path=str(scratch / "chromedriver.log"), env=env,
                      service_args=["--log-level=WARNING"])
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    return driver, service


class NotebookPage:
    """One notebook open in its own tab, driven through the classic Notebook's UI."""

    # A cell's prompt once it has run: "In [3]:" (a non-breaking space in the page, hence \s).
    RAN = re.compile(r"^In\s*\[\d+\]:$")

    def __init__(self, driver, name):
        self.driver = driver
        self.name = name

    def cells(self):
        from selenium.webdriver.common.by import By
        return self.driver.find_elements(By.CSS_SELECTOR, "#notebook-container > .cell")

    def wait(self, what, condition, timeout, poll=0.25):
        """Polls condition() until it returns a true value; fails early on an error output or a dead kernel."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            self.fail_on_trouble()  # also once the condition holds: an error may be what ended the wait
            if value:
                return value
            if time.monotonic() > deadline:
                raise Failed(f"{self.name}: timed out after {timeout} s waiting for {what}")
            time.sleep(poll)

    def fail_on_trouble(self):
        trouble = self.driver.execute_script("""
            const errors = [...document.querySelectorAll('.output_error')].map(e => e.innerText);
            if (errors.length) return 'a cell failed:\\n' + errors.join('\\n---\\n');
            const icon = document.getElementById('kernel_indicator_icon');
            if (icon && icon.className === 'kernel_dead_icon') return 'the kernel died';
            const dialog = document.querySelector('.modal.in .modal-dialog');
            if (dialog) return 'a dialog opened: ' + dialog.innerText;
            return null;""")
        if trouble:
            raise Failed(f"{self.name}: {trouble}")

    def open(self, url, timeout):
        self.driver.get(url)
        self.wait("the notebook to load", lambda: self.driver.execute_script(
            "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded)"), 60)
        # The classic Notebook autosaves: the copy is in the scratch directory, but keep it quiet anyway.
        self.driver.execute_script("Jupyter.notebook.set_autosave_interval(0)")
        self.wait("the kernel to start and go idle", lambda: self.driver.execute_script("""
            const icon = document.getElementById('kernel_indicator_icon');
            const kernel = Jupyter.notebook.kernel;
            return !!(kernel && kernel.is_connected() && kernel.info_reply && kernel.info_reply.implementation
                      && icon && icon.className === 'kernel_idle_icon');"""), timeout)
        kernel_name = self.driver.execute_script(
            "return document.querySelector('#kernel_indicator .kernel_indicator_name').innerText")
        implementation = self.driver.execute_script("return Jupyter.notebook.kernel.info_reply.implementation")
        if kernel_name != KERNEL_DISPLAY_NAME:
            raise Failed(f"{self.name}: the page shows kernel '{kernel_name}', not '{KERNEL_DISPLAY_NAME}'")
        log(f"{self.name}: kernel '{kernel_name}' ({implementation}) is idle")

    def tagged(self):
        """The index of each tagged cell, by tag (cell metadata "tags"), as the page's notebook has them."""
        return self.driver.execute_script("""
            const found = {};
            Jupyter.notebook.get_cells().forEach((cell, i) =>
                (cell.metadata.tags || []).forEach(tag => found[tag] = i));
            return found;""")

    def prompts(self, indexes):
        """The input prompts ("In [3]:") of the cells at indexes; None for a cell that is not code."""
        return self.driver.execute_script("""
            const cells = document.querySelectorAll('#notebook-container > .cell');
            return arguments[0].map(i => cells[i].classList.contains('code_cell')
                ? cells[i].querySelector('.input_prompt').innerText.trim() : null);""", list(indexes))

    def wait_until_ran(self, indexes, timeout):
        """Waits until each code cell among indexes shows an execution count and the kernel is idle again."""
        def done():
            prompts = [p for p in self.prompts(indexes) if p is not None]
            idle = self.driver.execute_script(
                "return document.getElementById('kernel_indicator_icon').className === 'kernel_idle_icon'")
            return idle and prompts and all(self.RAN.match(p) for p in prompts)
        self.wait(f"cells {indexes[0]}..{indexes[-1]} to run", done, timeout)

    def run_all_from_menu(self):
        from selenium.webdriver.common.by import By
        self.driver.find_element(By.ID, "celllink").click()
        item = self.driver.find_element(By.CSS_SELECTOR, "#run_all_cells > a")
        self.wait("the Cell menu to open", item.is_displayed, 10)
        item.click()

    def wait_for_mode(self, mode, index):
        """Waits until the cell at index is selected and the notebook is in mode ('command' or 'edit'):
        keys typed in the wrong mode would run command-mode shortcuts instead of becoming code."""
        self.wait(f"cell {index} selected in {mode} mode", lambda: self.driver.execute_script(
            "return Jupyter.notebook.mode === arguments[0] && Jupyter.notebook.get_selected_index() === arguments[1]",
            mode, index), 10)

    def select_in_command_mode(self, index):
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys
        self.cells()[index].find_element("css selector", ".prompt").click()
        ActionChains(self.driver).send_keys(Keys.ESCAPE).perform()
        self.wait_for_mode("command", index)

    def shift_enter(self, times):
        """Shift+Enter from the first cell, as many times: runs each cell and moves to the next."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys
        self.select_in_command_mode(0)
        for _ in range(times):
            ActionChains(self.driver).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()

    def type_new_cell_and_run(self, code):
        """Selects the last cell, inserts a cell below it (B), types code into it and runs it (Shift+Enter)."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys
        before = len(self.cells())
        self.select_in_command_mode(before - 1)
        ActionChains(self.driver).send_keys("b").perform()
        self.wait_for_mode("command", before)
        ActionChains(self.driver).send_keys(Keys.ENTER).perform()
        self.wait_for_mode("edit", before)
        self.driver.switch_to.active_element.send_keys(code)
        ActionChains(self.driver).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
        return before

    def screenshot(self, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(path))
        return path


# ---------------------------------------------------------------------------------------------------------
# The checks

def output_texts(cell, kind):
    return [e.text for e in cell.find_elements("css selector", f".output_subarea.{kind}")]


def check_smoke_notebook(driver, server, out, timeout):
    page = NotebookPage(driver, SMOKE.name)
    try:
        page.open(server.notebook_url(SMOKE.name), timeout)
        cells = page.cells()
        code = [i for i, c in enumerate(cells) if "code_cell" in c.get_attribute("class")]
        page.run_all_from_menu()
        log(f"{page.name}: Cell > Run All ({len(code)} code cells)")
        page.wait_until_ran(code, timeout)
        log(f"{page.name}: every cell ran")
        cells = page.cells()
        tagged = page.tagged()
        untagged = sorted({"print", "table", "chart"} - tagged.keys())
        expect(page, not untagged, f"no cell has the tags {untagged}, which the checks below look for")

        printed = "\n".join(output_texts(cells[tagged["print"]], "output_stdout"))
        expect(page, "1116281 is prime: true" in printed,
               f"the cell tagged 'print' printed {printed!r}, not '1116281 is prime: true'")

        tables = cells[tagged["table"]].find_elements("css selector", ".output_html table")
        expect(page, len(tables) == 1, f"the cell tagged 'table' shows {len(tables)} HTML tables, not 1")
        rows = tables[0].find_elements("css selector", "tbody tr")
        headers = [h.text for h in tables[0].find_elements("css selector", "thead th")]
        expect(page, len(rows) == 8, f"the table has {len(rows)} rows, not 8")
        expect(page, "Miller–Rabin" in headers, f"the table's headers are {headers}, without Miller–Rabin")
        last = [td.text for td in rows[-1].find_elements("css selector", "td")]
        expect(page, last == ["1099726899285419", "composite", "composite", "composite"],
               f"the table's last row is {last}")

        image = driver.execute_script("""
            const img = arguments[0].querySelector('.output_png img');
            return img && {src: img.src.slice(0, 22), complete: img.complete, width: img.naturalWidth,
                           height: img.naturalHeight};""", cells[tagged["chart"]])
        expect(page, image is not None, "the cell tagged 'chart' shows no PNG image")
        expect(page, image["src"] == "data:image/png;base64,", f"the chart's src starts {image['src']!r}")
        expect(page, image["complete"] and image["width"] >= 400 and image["height"] >= 200,
               f"the chart image did not decode to a chart-sized picture: {image}")

        typed = page.type_new_cell_and_run("numbers.stream().filter(Primality::millerRabin).count()")
        page.wait_until_ran([typed], timeout)
        result = output_texts(page.cells()[typed], "output_result")
        expect(page, result == ["7"], f"the typed cell showed {result}, not ['7'] (the primes among the numbers)")
        log(f"{page.name}: printed text, an 8-row HTML table, a {image['width']}x{image['height']} chart "
            "and a typed cell's result are on the page")
        log(f"{page.name}: screenshot {page.screenshot(out / (SMOKE.stem + '.png'))}")
    except Exception:
        save_failure(page, out)
        raise


def setup_cells(notebook):
    """How many cells, from the top, make a notebook's set-up: through the first code cell after its %jars cell."""
    cells = json.loads(notebook.read_text())["cells"]
    source = lambda c: "".join(c["source"]) if isinstance(c["source"], list) else c["source"]  # noqa: E731
    jars = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and "%jars" in source(c)]
    if not jars:
        raise Failed(f"{notebook.name}: no cell loads the library with %jars, so the test cannot tell its set-up cells")
    after = [i for i, c in enumerate(cells) if i > jars[-1] and c["cell_type"] == "code"]
    return (after[0] if after else jars[-1]) + 1


def check_workbook_notebook(driver, server, notebook, out, timeout):
    page = NotebookPage(driver, notebook.name)
    driver.switch_to.new_window("tab")
    try:
        page.open(server.notebook_url(notebook.name), timeout)
        count = setup_cells(notebook)
        cells = page.cells()
        code = [i for i in range(count) if "code_cell" in cells[i].get_attribute("class")]
        page.shift_enter(count)
        log(f"{page.name}: Shift+Enter through its first {count} cells ({len(code)} code cells)")
        page.wait_until_ran(code, timeout)
        cells = page.cells()
        printed = "\n".join(output_texts(cells[code[-1]], "output_text"))
        expect(page, printed.strip(), f"its set-up cell {code[-1]} showed nothing")
        later = [p for p in page.prompts(range(count, len(cells))) if p is not None and page.RAN.match(p)]
        expect(page, not later, "cells after the set-up ran too")
        log(f"{page.name}: its first {count} cells ran; cell {code[-1]} printed {len(printed.splitlines())} lines")
        log(f"{page.name}: screenshot {page.screenshot(out / (notebook.stem + '.png'))}")
    except Exception:
        save_failure(page, out)
        raise


def expect(page, condition, message):
    if not condition:
        raise Failed(f"{page.name}: {message}")


def save_failure(page, out):
    try:
        stem = pathlib.Path(page.name).stem
        out.mkdir(parents=True, exist_ok=True)
        (out / f"FAILED-{stem}.html").write_text(page.driver.page_source)
        print(f"screenshot of the failure: {page.screenshot(out / f'FAILED-{stem}.png')}", file=sys.stderr)
    except Exception as e:  # the browser itself may be what failed
        print(f"(no screenshot of the failure: {e})", file=sys.stderr)


# ---------------------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", action="append", default=[], type=pathlib.Path,
                        help="a workbook notebook whose set-up cells to run too (default: the first of notebooks/*.ipynb)")
    parser.add_argument("--no-default-notebook", action="store_true",
                        help="only the smoke notebook, unless --notebook names others")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "target/browser-test",
                        help="where screenshots (and on failure the page and logs) go")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for a kernel or for cells")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (for debugging)")
    args = parser.parse_args()

    notebooks = [n if n.is_absolute() else (pathlib.Path.cwd() / n) for n in args.notebook]
    if not notebooks and not args.no_default_notebook:
        notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))[:1]
    try:
        chromium, chromedriver = check_prerequisites(notebooks)
    except Missing as e:
        print(f"browser test: {e}", file=sys.stderr)
        return 2

    out = args.out.resolve()
    for old in out.glob("*") if out.is_dir() else []:
        if old.is_file():
            old.unlink()
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop_on_signal)
    scratch = make_scratch(notebooks)
    env = jupyter_env(scratch)
    server = NotebookServer(scratch, env)
    driver = service = None
    tracked = {}
    status, leftovers = 0, []
    try:
        install_kernel(scratch, env)
        server.start()
        log(f"classic Notebook server on {server.url} (notebook dir: a scratch copy of notebooks/)")
        driver, service = start_browser(scratch, chromium, chromedriver)
        log(f"headless {driver.capabilities.get('browserName')} {driver.capabilities.get('browserVersion')}")
        check_smoke_notebook(driver, server, out, args.timeout)
        for notebook in notebooks:
            check_workbook_notebook(driver, server, notebook, out, args.timeout)
    except Missing as e:
        print(f"browser test: {e}", file=sys.stderr)
        status = 2
    except Failed as e:
        print(f"browser test FAILED: {e}", file=sys.stderr)
        status = 1
    except (KeyboardInterrupt, Stopped) as e:
        print(f"browser test: interrupted ({e or 'SIGINT'}); shutting down", file=sys.stderr)
        status = 130
    except Exception as e:  # Selenium or the browser broke: still clean up, and say so
        print(f"browser test FAILED: {type(e).__name__}: {e}", file=sys.stderr)
        status = 1
    finally:
        # A second signal must not cut the shutdown short (every step of it has a time limit).
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        # Everything below the server (kernels, and whatever they started) and the browser, before stopping them.
        if server.process is not None:
            tracked.update(descendants(server.process.pid))
        if service is not None and service.process is not None:
            tracked[service.process.pid] = (process_start_time(service.process.pid), "chromedriver")
            tracked.update(descendants(service.process.pid))
        tracked.update(processes_using(scratch))
        if driver is not None:
            try:
                driver.quit()
            except Exception as e:
                print(f"(closing the browser: {e})", file=sys.stderr)
        server.stop()
        tracked.update(processes_using(scratch))
        deadline = time.monotonic() + 10  # let the last ones finish exiting
        while survivors(tracked) and time.monotonic() < deadline:
            time.sleep(0.2)
        leftovers = kill_survivors(tracked, "still running after shutdown, killed")
        out.mkdir(parents=True, exist_ok=True)
        for name in ("notebook-server.log", "chromedriver.log"):
            if (scratch / name).exists():
                shutil.copy2(scratch / name, out / name)
        if status != 0 or leftovers:
            print(f"logs: {out}/notebook-server.log, {out}/chromedriver.log; the server's last lines:\n"
                  + tail(scratch / "notebook-server.log", 25), file=sys.stderr)
        if args.keep:
            print(f"scratch directory kept: {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    if leftovers:
        print("browser test FAILED: processes outlived the test:\n  " + "\n  ".join(leftovers), file=sys.stderr)
        status = status or 1
    if status == 0:
        log(f"passed; screenshots in {out}")
    return status


if __name__ == "__main__":
    sys.exit(main())
