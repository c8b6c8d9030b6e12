"""Runs kernel/src/test/notebooks/kernel-tour.ipynb through nbclient (what `jupyter nbconvert --execute`
does) against the installed kernel, and checks what each cell shows. Run from anywhere, after building lib:

    /usr/bin/python3 kernel/src/test/python/test_notebook.py -v
"""

import os
import pathlib
import unittest

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[4]
NOTEBOOK = ROOT / "kernel" / "src" / "test" / "notebooks" / "kernel-tour.ipynb"


def texts(cell, kind):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == kind)


def data(cell, mime):
    return [o.data[mime] for o in cell.outputs if "data" in o and mime in o.data]


class KernelTourNotebook(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        nb = nbformat.read(NOTEBOOK, as_version=4)
        client = NotebookClient(nb, kernel_name=os.environ.get("WORKBOOK_KERNEL_NAME", "java"), timeout=300,
                                resources={"metadata": {"path": str(ROOT)}})
        client.execute()
        cls.code = [c for c in nb.cells if c.cell_type == "code"]

    def test_every_cell_ran_without_error(self):
        for cell in self.code:
            self.assertFalse([o for o in cell.outputs if o.output_type == "error"], cell.source)

    def test_hello(self):
        self.assertIn("Hello from Java", texts(self.code[0], "stdout"))

    def test_a_table_shows_as_html(self):
        self.assertIn("<th>n squared</th>", data(self.code[2], "text/html")[0])

    def test_a_chart_shows_as_png(self):
        self.assertTrue(data(self.code[3], "image/png")[0].startswith("iVBOR"))

    def test_time_reports_cpu_and_wall_time(self):
        report = texts(self.code[4], "stdout")
        self.assertIn("CPU times:", report)
        self.assertIn("Wall time:", report)

    def test_thread_and_child_process_output_show_in_the_cell(self):
        out = texts(self.code[5], "stdout")
        self.assertIn("printed by worker", out)
        self.assertIn("printed by a child process", out)

    def test_update_display_replaces_what_display_showed(self):
        self.assertEqual(["<b>done</b>"], data(self.code[6], "text/html"))


if __name__ == "__main__":
    unittest.main()
