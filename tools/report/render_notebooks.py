#!/usr/bin/env python3
"""Execute the workbook's notebooks headless and render each to a self-contained HTML report.

Usage (with Debian's Jupyter under /usr/bin/python3):
    /usr/bin/python3 tools/report/render_notebooks.py [--kernel java] [--out reports] [NOTEBOOK ...]

Without NOTEBOOK arguments every notebooks/*.ipynb is run, in name order, and reports/index.html links
them. Each notebook may declare what its run must produce, in its metadata:

    "workbook": {"expect": [{"mime": "image/png"},
                            {"mime": "text/html", "contains": "<table"},
                            {"text": "Ping and Pong printed 50 times"}]}

An expectation is met when some output of some cell has that MIME type (and contains the text, if
given); {"text": ...} searches text outputs (streams and text/plain). An expectation with
"if_exists": PATH is checked only where PATH exists (a row that needs /usr/bin/python3, say); one
with "tag": TAG only in the outputs of the cells with that tag (the chart of one cell, say). A
notebook fails when a cell raises an error or an expectation is not met; its report is still
written, marked as failed, so the failure can be read. The exit status is 0 only if every notebook
passed.

Two more keys check the final state of the tagged cells (what update_display_data left there):
"count": N wants exactly N outputs of that MIME type (one finished chart, say), and "absent": TEXT
wants no output of any type containing TEXT (no "so far" of a half-drawn chart, say).
"""

import argparse
import datetime
import html
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import offline

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from nbconvert import HTMLExporter
except ImportError as missing:  # pragma: no cover - depends on the machine
    sys.exit(
        f"render_notebooks.py needs Jupyter's nbclient and nbconvert ({missing.name} is missing).\n"
        "On Debian/Ubuntu: sudo apt-get install jupyter-nbconvert python3-nbclient jupyter-client\n"
        "and run this script with /usr/bin/python3. Elsewhere: pip install nbclient nbconvert."
    )

ROOT = Path(__file__).resolve().parents[2]


def log(message):
    print(message, file=sys.stderr, flush=True)


def write_atomically(path, text):
    """Write text to path through a temporary file in the same directory, so no half file is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix="." + path.name, suffix=".part")
    try:
        # mkstemp makes the file private (0600); a report is for sharing, so give it the permissions
        # an ordinary new file gets under the user's umask.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def notebook_title(nb, fallback):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def output_texts(output):
    """The texts an output offers, as (mime, text) pairs."""
    if output.get("output_type") == "stream":
        yield "text/plain", output.get("text", "")
    elif output.get("output_type") in ("display_data", "execute_result", "update_display_data"):
        for mime, value in output.get("data", {}).items():
            yield mime, value if isinstance(value, str) else "".join(value) if isinstance(value, list) else json.dumps(value)
    elif output.get("output_type") == "error":
        yield "error", "\n".join(output.get("traceback", []))


def cell_texts(cell):
    """The texts a cell's outputs offer. A kernel may send a printed line in several stream messages, so
    each stream's pieces are also offered joined, as the report shows them."""
    outputs = cell.get("outputs", [])
    for out in outputs:
        yield from output_texts(out)
    for name in ("stdout", "stderr"):
        pieces = [out.get("text", "") for out in outputs if out.get("output_type") == "stream" and out.get("name") == name]
        if len(pieces) > 1:
            yield "text/plain", "".join(pieces)


def unmet_expectations(nb):
    expectations = nb.metadata.get("workbook", {}).get("expect", [])
    unmet = []
    for expectation in expectations:
        if "if_exists" in expectation and not os.path.exists(expectation["if_exists"]):
            continue
        tag = expectation.get("tag")
        offered = [pair for cell in nb.cells if cell.cell_type == "code"
                   and (tag is None or tag in cell.get("metadata", {}).get("tags", []))
                   for pair in cell_texts(cell)]
        cells = [cell for cell in nb.cells if cell.cell_type == "code"
                 and (tag is None or tag in cell.get("metadata", {}).get("tags", []))]
        where = f" in the cells tagged {tag!r}" if tag else ""
        if "absent" in expectation:
            if any(expectation["absent"] in text for _, text in offered):
                unmet.append(f"an output contains {expectation['absent']!r}{where}")
            continue
        mime = expectation.get("mime", "text/plain")
        wanted = expectation.get("contains", expectation.get("text"))
        if "count" in expectation:
            found = sum(1 for cell in cells for out in cell.get("outputs", []) if mime in out.get("data", {}))
            if found != expectation["count"]:
                unmet.append(f"{found} {mime} outputs{where}, not {expectation['count']}")
            continue
        if not any(m == mime and (wanted is None or wanted in text) for m, text in offered):
            unmet.append(f"no {mime} output" + (f" containing {wanted!r}" if wanted else "")
                         + (f" in the cells tagged {tag!r}" if tag else ""))
    return unmet


def errors_in(nb):
    found = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error":
                found.append(f"cell {index + 1}: {out.get('ename', 'Error')}: {out.get('evalue', '')}".strip())
    return found


class Progress:
    """One line per cell: which notebook, which cell, how long it took."""

    def __init__(self, name, total):
        self.name, self.total, self.count, self.started = name, total, 0, None

    def on_cell_start(self, cell, cell_index, **_):
        self.started = time.monotonic()

    def on_cell_executed(self, cell, cell_index, execute_reply, **_):
        self.count += 1
        took = time.monotonic() - (self.started or time.monotonic())
        status = execute_reply.get("content", {}).get("status", "?") if execute_reply else "?"
        log(f"    {self.name}: cell {self.count}/{self.total} {status} ({took:.1f} s)")


def run_notebook(path, kernel, timeout, out_dir):
    nb = nbformat.read(path, as_version=4)
    name = path.stem
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    progress = Progress(name, code_cells)
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=timeout,
        startup_timeout=120,
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_start=progress.on_cell_start,
        on_cell_executed=progress.on_cell_executed,
    )
    started = time.monotonic()
    problems = []
    try:
        client.execute()
    except CellTimeoutError as e:
        problems.append(f"a cell ran longer than {timeout} s: {str(e).splitlines()[0] if str(e) else ''}")
    except DeadKernelError as e:
        problems.append(f"the kernel died: {e}")
    except CellExecutionError:
        pass  # the error output is in the notebook; errors_in() reports it
    seconds = time.monotonic() - started
    problems += errors_in(nb) + unmet_expectations(nb)
    nb.metadata.setdefault("workbook", {})["report"] = {"seconds": round(seconds, 1), "problems": problems}

    problems += [f"cell {number}: TeX math {tex!r} would show raw: reports carry no MathJax (so that they open "
                 "anywhere); write the formula as plain text" for number, tex in offline.math_in(nb)]
    body, load_problems = render_html(nb, notebook_title(nb, name))
    problems += load_problems
    report = out_dir / f"{name}.html"
    write_atomically(report, body)
    return {"name": name, "title": notebook_title(nb, name), "file": report.name, "seconds": seconds,
            "problems": problems}


def render_html(nb, title):
    """The notebook as one HTML page that loads nothing from outside itself, and the problems found if it
    would (each names what it would load)."""
    exporter = HTMLExporter(template_name=offline.TEMPLATE, extra_template_basedirs=[str(offline.TEMPLATE_DIR)])
    resources = {"metadata": {"name": title}}
    problems = []
    if offline.needs_requirejs(nb):
        source = offline.requirejs_source(exporter.require_js_url)
        if source is None:
            problems.append(f"an output carries JavaScript that needs require.js, which is not on this machine "
                            f"({exporter.require_js_url}): install Debian's libjs-requirejs")
        resources["workbook_inline_requirejs"] = (source or "").replace("</script", "<\\/script")
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    problems += [f"the report would load {load} from outside itself" for load in offline.external_loads(body)]
    return body, problems


def machine_facts():
    """The machine's facts as the library reports them (lib/target/classes must be built)."""
    classes = ROOT / "lib" / "target" / "classes"
    try:
        text = subprocess.run(["java", "-cp", str(classes), "dev.workbook.measure.MachineFacts"], check=True,
                              capture_output=True, text=True, timeout=60).stdout
        return [tuple(part.strip() for part in line.split(":", 1)) for line in text.splitlines() if ":" in line]
    except (OSError, subprocess.SubprocessError) as e:
        return [("facts", f"unavailable ({e})")]


def write_index(out_dir, results, facts):
    rows = "\n".join(
        f"<tr class=\"{'ok' if not r['problems'] else 'failed'}\"><td><a href=\"{html.escape(r['file'])}\">"
        f"{html.escape(r['title'])}</a></td><td>{r['seconds']:.1f} s</td><td>"
        + ("passed" if not r["problems"] else "failed: " + html.escape("; ".join(r["problems"])))
        + "</td></tr>"
        for r in results)
    fact_rows = "\n".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in facts)
    generated = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Java concurrency workbook: reports</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; margin: 1rem 0; }}
td, th {{ padding: .35rem .8rem; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }}
tr.failed td {{ color: #a00; }}
</style></head>
<body>
<h1>Java concurrency workbook</h1>
<p>Processes versus threads, measured on the JVM. Each report below is a notebook executed on this
machine on {html.escape(generated)}; its tables and charts are embedded in the page.</p>
<h2>Reports</h2>
<table><tr><th>notebook</th><th>run time</th><th>status</th></tr>
{rows}
</table>
<h2>Machine</h2>
<table>
{fact_rows}
</table>
</body></html>
"""
    write_atomically(out_dir / "index.html", page)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--kernel", default="java", help="kernel name (default: java)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports", help="output folder (default: reports/)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds a single cell may run (default: 900)")
    parser.add_argument("--no-index", action="store_true", help="do not (re)write index.html")
    args = parser.parse_args()

    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    missing = [str(p) for p in notebooks if not p.is_file()]
    if missing:
        sys.exit("no such notebook: " + ", ".join(missing) + f"\nthe notebooks are in {ROOT / 'notebooks'}")
    if not notebooks:
        sys.exit(f"no notebooks found in {ROOT / 'notebooks'}")

    results = []
    for number, path in enumerate(notebooks, 1):
        log(f"[{number}/{len(notebooks)}] {path.name}")
        result = run_notebook(path.resolve(), args.kernel, args.timeout, args.out)
        results.append(result)
        verdict = "passed" if not result["problems"] else "FAILED: " + "; ".join(result["problems"])
        log(f"[{number}/{len(notebooks)}] {path.name}: {verdict} in {result['seconds']:.1f} s -> "
            f"{args.out / result['file']}")
    if not args.no_index:
        write_index(args.out, results, machine_facts())
        log(f"index: {args.out / 'index.html'}")
    failed = [r["name"] for r in results if r["problems"]]
    if failed:
        log("failed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
