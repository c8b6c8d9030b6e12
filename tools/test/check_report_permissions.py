"""Checks that a rendered report gets the permissions of an ordinary new file (0644 under umask 022).

Reports are for sharing; the renderer writes them atomically through a temporary file, which
tempfile.mkstemp creates private (0600) unless the renderer says otherwise.
"""
import os
import pathlib
import stat
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "report"))
from render_notebooks import write_atomically  # noqa: E402


def main():
    os.umask(0o022)
    with tempfile.TemporaryDirectory() as directory:
        report = pathlib.Path(directory) / "report.html"
        write_atomically(report, "<p>a report</p>")
        mode = stat.S_IMODE(report.stat().st_mode)
    if mode != 0o644:
        sys.exit(f"a report is written with mode {oct(mode)} under umask 022, not 0o644")
    print("reports are written with mode 0o644 under umask 022")


if __name__ == "__main__":
    main()
