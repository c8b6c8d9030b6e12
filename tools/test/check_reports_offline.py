#!/usr/bin/python3
"""Checks that rendered reports open anywhere: each loads nothing from outside its own file.

For each HTML report given (or every *.html in the folders given):
  1. statically: no element, stylesheet or CSS rule loads from outside the file (tools/report/offline.py),
     and no file:// URL names a path of the machine that rendered it;
  2. in headless Chromium with the network switched off (every host name resolves to nothing, every
     connection goes to a closed proxy): the page loads, Chromium's own network log shows no request but the
     page itself and inline data, and no text on the page still says "Loading" once it has loaded.

Usage: tools/test/check_reports_offline.py REPORT.html|DIR ...
Exit status: 0 when every report passed, 1 when one failed, 2 when Chromium or chromedriver is missing.
"""

import json
import os
import pathlib
import shutil
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "report"))
sys.path.insert(0, str(HERE / "browser"))
import offline  # noqa: E402
from run_browser_test import CHROMIUM_FLAGS  # noqa: E402

NETWORK_OFF = ["--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
               "--proxy-bypass-list=<-loopback>"]


def reports_in(arguments):
    for argument in map(pathlib.Path, arguments):
        yield from sorted(argument.glob("*.html")) if argument.is_dir() else [argument]


def static_problems(text):
    problems = [f"loads {load}" for load in offline.external_loads(text)]
    if "file://" in text:
        at = text.index("file://")
        problems.append(f"names a path of the rendering machine: {text[at:at + 80]!r}")
    return problems


def open_browser(scratch):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    chromedriver = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    for program, package in ((chromium, "chromium"), (chromedriver, "chromium-driver")):
        if not os.access(program, os.X_OK):
            print(f"{program} is missing (Debian: apt-get install {package})", file=sys.stderr)
            sys.exit(2)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS + NETWORK_OFF + [f"--user-data-dir={scratch / 'chromium'}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    env = dict(os.environ, XDG_CONFIG_HOME=str(scratch / "config"), XDG_CACHE_HOME=str(scratch / "cache"))
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver, env=env), options=options)
    driver.set_page_load_timeout(60)
    return driver


def browser_problems(driver, report):
    page = report.resolve().as_uri()
    driver.get_log("performance")  # drop what earlier pages logged
    driver.get(page)
    driver.execute_script("return document.readyState")
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        # Only what this page asked for: Chromium's own pages (its new-tab page) log requests too.
        if message.get("method") == "Network.requestWillBeSent" and message["params"].get("documentURL") == page:
            url = message["params"]["request"]["url"]
            if url != page and not offline.is_inside(url):
                requests.append(url)
    problems = [f"requested {url}" for url in dict.fromkeys(requests)]
    text = driver.execute_script("return document.body ? document.body.innerText : ''")
    problems += [f"still shows {line.strip()!r}" for line in text.splitlines() if line.strip().startswith("Loading")]
    return problems


def main(arguments):
    reports = list(reports_in(arguments))
    if not reports:
        print("no reports given (usage: check_reports_offline.py REPORT.html|DIR ...)", file=sys.stderr)
        return 2
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="report-offline-"))
    failed = 0
    driver = open_browser(scratch)
    try:
        for report in reports:
            problems = static_problems(report.read_text(encoding="utf-8")) + browser_problems(driver, report)
            failed += bool(problems)
            print(f"  {report.name}: " + ("opens offline" if not problems else "FAILED: " + "; ".join(problems)))
    finally:
        driver.quit()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{len(reports) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
