#!/usr/bin/python3
"""How render_notebooks.py decides that a notebook's run produced what its metadata expects.
Run: /usr/bin/python3 tools/test/test_render_expectations.py"""

import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "report"))
import nbformat  # noqa: E402
import render_notebooks  # noqa: E402


def notebook(expect, *cells):
    nb = nbformat.v4.new_notebook()
    for tags, outputs in cells:
        cell = nbformat.v4.new_code_cell("x")
        cell.metadata["tags"] = tags
        cell.outputs = outputs
        nb.cells.append(cell)
    nb.metadata["workbook"] = {"expect": expect}
    return nb


def stdout(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


class Expectations(unittest.TestCase):
    def test_a_line_printed_in_several_stream_messages_is_found(self):
        nb = notebook([{"text": "timeline of processes:"}], ([], [stdout("timeline of pro"), stdout("cesses: 3 ms\n")]))
        self.assertEqual([], render_notebooks.unmet_expectations(nb))

    def test_a_tagged_expectation_looks_only_at_the_cells_with_that_tag(self):
        png = nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"})
        nb = notebook([{"tag": "timeline", "mime": "image/png"}], (["other"], [png]), (["timeline"], [stdout("no chart")]))
        self.assertEqual(["no image/png output in the cells tagged 'timeline'"], render_notebooks.unmet_expectations(nb))

    def test_an_expectation_for_a_missing_path_is_not_checked(self):
        nb = notebook([{"text": "CPython", "if_exists": "/no/such/python"}], ([], []))
        self.assertEqual([], render_notebooks.unmet_expectations(nb))

    def test_a_count_wants_exactly_that_many_outputs_of_the_type(self):
        png = nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"})
        nb = notebook([{"tag": "sweep", "mime": "image/png", "count": 1}], (["sweep"], [png, png]))
        self.assertEqual(["2 image/png outputs in the cells tagged 'sweep', not 1"],
                         render_notebooks.unmet_expectations(nb))
        nb = notebook([{"tag": "sweep", "mime": "image/png", "count": 1}], (["sweep"], [png]))
        self.assertEqual([], render_notebooks.unmet_expectations(nb))

    def test_an_absent_text_fails_when_any_output_holds_it(self):
        half = nbformat.v4.new_output("display_data", data={"text/plain": "Speedup (so far: 3 of 9 steps)"})
        nb = notebook([{"tag": "sweep", "absent": "so far"}], (["sweep"], [half]), (["other"], []))
        self.assertEqual(["an output contains 'so far' in the cells tagged 'sweep'"],
                         render_notebooks.unmet_expectations(nb))
        done = nbformat.v4.new_output("display_data", data={"text/plain": "Speedup"})
        nb = notebook([{"tag": "sweep", "absent": "so far"}], (["sweep"], [done]))
        self.assertEqual([], render_notebooks.unmet_expectations(nb))


if __name__ == "__main__":
    unittest.main()
