"""What makes a rendered report open anywhere: it loads nothing from outside its own file.

Three pieces, used by render_notebooks.py and by the report tests:
- TEMPLATE: the nbconvert template (templates/workbook) that leaves out MathJax and the widget manager and
  inlines require.js where an output needs it;
- math_in(nb): the TeX a notebook's markdown holds, which a report without MathJax would show raw;
- external_loads(html): every resource the page would fetch from outside itself (scripts, stylesheets,
  images, frames, media, CSS url() and @import). Links a reader may follow (<a href>) are not loads.
"""

import re
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "workbook"

# MIME types whose rendering in an nbconvert report is a <script> that may call require().
SCRIPT_MIMES = ("application/javascript", "application/vnd.jupyter.widget-view+json")

# Attributes through which an element loads something when the page opens.
LOADING_ATTRIBUTES = {
    "script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "frame": ("src",),
    "embed": ("src",), "object": ("data",), "video": ("src", "poster"), "audio": ("src",),
    "source": ("src", "srcset"), "track": ("src",), "input": ("src",), "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
# <link rel=...> values that fetch their href.
LOADING_LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch",
                     "modulepreload", "manifest", "import"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.IGNORECASE)


def is_inside(url):
    """True for a reference that needs no request: inline data, a fragment, an empty or scripting URL."""
    url = url.strip()
    if not url or url.startswith("#"):
        return True
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    return scheme in ("data", "about", "javascript", "blob")


class _Loads(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.loads, self._in_style = [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        names = LOADING_ATTRIBUTES.get(tag, ())
        if tag == "link" and LOADING_LINK_RELS & set((attrs.get("rel") or "").lower().split()):
            names = ("href",)
        for name in names:
            value = attrs.get(name)
            if value is None:
                continue
            # srcset: "url [descriptor], url [descriptor]"; a data: URL holds a comma too, but no space after it.
            candidates = [part.split()[0] for part in re.split(r",\s+", value.strip()) if part.strip()] \
                if name == "srcset" else [value]
            self.loads += [f"<{tag} {name}={c!r}>" for c in candidates if not is_inside(c)]
        if attrs.get("style"):
            self._css(attrs["style"], f"<{tag} style>")
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._css(data, "<style>")

    def _css(self, text, where):
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)  # comments load nothing
        for match in CSS_URL.finditer(text):
            url = match.group(2) or match.group(4)
            if not is_inside(url):
                self.loads.append(f"{where} url({url!r})")


def external_loads(html):
    """Every resource the page would fetch from outside itself, described for an error message."""
    parser = _Loads()
    parser.feed(html)
    parser.close()
    return parser.loads


# TeX as Jupyter renders it: $...$, $$...$$, \(...\), \[...\], \begin{...}. Code is not math: fenced blocks
# and `inline code` are removed first, and a lone dollar (a price, a shell variable) does not count.
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)
_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$\w])\$(?=\S)[^$\n]*?\S\$(?![\w$])|\\\(.+?\\\)|\\\[.+?\\\]|\\begin\{",
                   re.DOTALL)


def math_in(nb):
    """(cell number, TeX) for each formula in the notebook's markdown cells, numbered from 1."""
    found = []
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "markdown":
            found += [(number, m.group(0)) for m in _MATH.finditer(_CODE.sub("", cell.source))]
    return found


def needs_requirejs(nb):
    return any(mime in out.get("data", {}) for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []) for mime in SCRIPT_MIMES)


def requirejs_source(url):
    """require.js's text, read from the local file nbconvert names; None when it is not on this machine."""
    if urllib.parse.urlsplit(url).scheme != "file":
        return None
    path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path))
    return path.read_text(encoding="utf-8") if path.is_file() else None
