"""Runs kernel/src/test/notebooks/ijava-style.ipynb through nbclient against the installed kernel: a
notebook written for IJava that %loads a utilities notebook using IJava's own API (IJava.getKernelInstance(),
its Renderer registrations with IJava's MIMEType, its magics registry), as many public notebooks do.

    /usr/bin/python3 kernel/src/test/python/test_ijava_notebook.py -v
"""

import os
import pathlib
import unittest

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = pathlib.Path(__file__).resolve().parents[1] / "notebooks"


def data(cell, mime):
    return [o.data[mime] for o in cell.outputs if "data" in o and mime in o.data]


class IJavaStyleNotebook(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        nb = nbformat.read(NOTEBOOKS / "ijava-style.ipynb", as_version=4)
        client = NotebookClient(nb, kernel_name=os.environ.get("WORKBOOK_KERNEL_NAME", "java"), timeout=120,
                                resources={"metadata": {"path": str(NOTEBOOKS)}})
        client.execute()
        cls.code = [c for c in nb.cells if c.cell_type == "code"]

    def test_every_cell_ran_without_error(self):
        for cell in self.code:
            self.assertFalse([o for o in cell.outputs if o.output_type == "error"], cell.source)

    def test_a_renderer_registered_with_ijavas_mime_type_renders_the_notebooks_type(self):
        self.assertEqual(['<span class="money">1234.56 EUR</span>'], data(self.code[1], "text/html"))
        self.assertEqual(["1234.56 EUR"], data(self.code[1], "text/plain"))

    def test_a_line_magic_registered_with_a_lambda_runs(self):
        self.assertEqual(["HELLO FROM IJAVA"], data(self.code[2], "text/plain"))

    def test_annotated_cell_and_line_magics_run(self):
        self.assertEqual("3 lines\n", "".join(o.get("text", "") for o in self.code[3].outputs if o.output_type == "stream"))
        self.assertEqual(["desserts"], data(self.code[4], "text/plain"))

    def test_ijavas_display_data_shows_every_mime_type_put_in_it(self):
        self.assertEqual(["**bold** markdown"], data(self.code[5], "text/markdown"))
        self.assertEqual(["plain fallback"], data(self.code[5], "text/plain"))

    def test_ijavas_runtime_functions_are_the_notebook_functions(self):
        self.assertEqual(['<span class="money">0.05 USD</span> / QUIET'], data(self.code[6], "text/plain"))


if __name__ == "__main__":
    unittest.main()
