"""Jupyter kernel conformance suite (jupyter_kernel_test) against the installed workbook Java kernel.

Run with the Debian Jupyter stack (the `python3` first on PATH may be another build):

    /usr/bin/python3 kernel/src/test/python/test_conformance.py -v

The kernelspec name is `java` unless WORKBOOK_KERNEL_NAME says otherwise; JUPYTER_PATH may point at a
non-default install (kernel/install --prefix DIR -> JUPYTER_PATH=DIR/share/jupyter).
"""

import os
import re
import subprocess
import unittest

import jupyter_kernel_test
from jupyter_client.kernelspec import KernelSpecManager


class WorkbookJavaKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("WORKBOOK_KERNEL_NAME", "java")

    language_name = "Java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("to stderr");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"con" + "cat"', "result": "concat"},
        {"code": "List.of(1, 2, 3)", "result": "[1, 2, 3]"},
    ]

    code_display_data = [
        {"code": 'display("<b>bold</b>", "text/html");', "mime": "text/html"},
        {"code": "display(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB));",
         "mime": "image/png"},
    ]

    code_generate_error = 'throw new IllegalStateException("expected failure");'

    completion_samples = [
        {"text": "System.out.printl", "matches": {"println("}},
        {"text": "Math.ma", "matches": {"max("}},
    ]

    complete_code_samples = ["1 + 1", "int x = 1;", 'System.out.println("hi");', "%lsmagic", "for (int i = 0; i < 2; i++) {}"]
    incomplete_code_samples = ["for (int i = 0; i < 10; i++) {", "int y = (1 +", "/* an open comment"]
    invalid_code_samples = ["int x = ;", "int x = 1 +* 2;", "}"]

    code_inspect_sample = "Math.max"

    code_history_pattern = "6 * 7"
    supported_history_operations = ("tail", "range", "search")


class ClassDataArchiveTests(unittest.TestCase):
    """The installed kernel starts from the class-data archive the installer recorded next to it."""

    def test_the_kernel_jvm_loads_its_classes_from_the_recorded_archive(self):
        spec = KernelSpecManager().get_kernel_spec(WorkbookJavaKernelTests.kernel_name)
        argv = spec.argv
        archive_flags = [a for a in argv if a.startswith("-XX:SharedArchiveFile=")]
        self.assertEqual(len(archive_flags), 1, f"kernel.json names one archive: {argv}")
        archive = archive_flags[0].split("=", 1)[1]
        self.assertTrue(archive.startswith(spec.resource_dir), f"{archive} lives in the kernelspec")
        self.assertTrue(os.path.getsize(archive) > 0, archive)
        # The kernel's own flags, without its silencing of CDS's log, -Xshare:on (fail if the archive
        # cannot be mapped) and the class loading log; the main class without arguments prints its usage.
        jvm = [a for a in argv[:argv.index("dev.workbook.kernel.KernelMain") + 1] if not a.startswith("-Xlog:cds")]
        run = subprocess.run(jvm[:1] + ["-Xshare:on", "-Xlog:class+load=info"] + jvm[1:], capture_output=True,
                             text=True, timeout=120)
        self.assertEqual(run.returncode, 2, run.stderr[-2000:])
        main = re.search(r"dev\.workbook\.kernel\.KernelMain source: (.*)", run.stdout)
        self.assertIsNotNone(main, run.stdout[-2000:])
        self.assertIn("shared objects file", main.group(1))


if __name__ == "__main__":
    unittest.main()
