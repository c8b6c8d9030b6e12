#!/usr/bin/python3
"""The rules that keep a rendered report loading nothing from outside itself (tools/report/offline.py), and
the renderer's use of them. Run: /usr/bin/python3 tools/test/test_offline_reports.py"""

import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "report"))
import nbformat  # noqa: E402
import offline  # noqa: E402
import render_notebooks  # noqa: E402


def notebook(markdown="# A report", outputs=()):
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(markdown))
    cell = nbformat.v4.new_code_cell("1")
    cell.outputs = [nbformat.v4.new_output("display_data", data=data) for data in outputs]
    nb.cells.append(cell)
    return nb


class ExternalLoads(unittest.TestCase):
    def test_a_script_stylesheet_image_or_css_url_from_elsewhere_is_a_load(self):
        page = ('<script src="file:///usr/share/x.js"></script><link rel="stylesheet" href="https://cdn/x.css">'
                '<img src="chart.png"><div style="background: url(\'//host/b.png\')"></div>'
                '<style>@import "theme.css"; p { background: url(data:image/png;base64,AA) }</style>')
        self.assertEqual(5, len(offline.external_loads(page)), offline.external_loads(page))

    def test_inline_data_fragments_and_links_to_follow_are_not_loads(self):
        page = ('<img src="data:image/png;base64,iVBOR"><a href="https://example.org/">a link</a>'
                '<a href="#top">up</a><style>/* see https://example.org/ and url(x.png) */</style>')
        self.assertEqual([], offline.external_loads(page))

    def test_each_candidate_of_a_srcset_is_checked(self):
        self.assertEqual(["<img srcset='big.png'>"],
                         offline.external_loads('<img srcset="data:image/png;base64,AA 1x, big.png 2x">'))


class MathInMarkdown(unittest.TestCase):
    def test_dollar_and_bracket_formulas_are_found(self):
        found = offline.math_in(notebook(r"speedup $S = 1/f$ and \(x^2\) and $$y$$"))
        self.assertEqual([r"$S = 1/f$", r"\(x^2\)", "$$y$$"], [tex for _, tex in found])

    def test_prices_shell_variables_and_code_are_not_math(self):
        self.assertEqual([], offline.math_in(notebook("costs $5 or $10; `$JAVA_HOME/bin`\n```\necho $A $B\n```")))


class RenderedReport(unittest.TestCase):
    def test_a_report_with_tables_and_charts_loads_nothing_from_outside(self):
        body, problems = render_notebooks.render_html(
            notebook(outputs=[{"text/html": "<table><tr><td>1</td></tr></table>", "image/png": "iVBORw0KGgo="}]),
            "A report")
        self.assertEqual([], problems)
        self.assertEqual([], offline.external_loads(body))
        self.assertNotIn("file://", body)
        self.assertNotIn("MathJax", body)

    def test_javascript_output_gets_require_js_inline_when_the_machine_has_it(self):
        body, problems = render_notebooks.render_html(
            notebook(outputs=[{"application/javascript": "require(['x'], function () {});"}]), "A report")
        if problems:  # no local require.js: the problem must say so, never a link to it
            self.assertIn("require.js", problems[0])
        else:
            self.assertIn("requirejs", body)
        self.assertEqual([], offline.external_loads(body))


if __name__ == "__main__":
    unittest.main()
