#!/usr/bin/env python3
"""Self-test of check_includes.py: on small trees made here, it names FILE:LINE of each
include that breaks the rule, accepts the includes the rule allows, honours the
allow-list and reports an entry of it that is no longer needed."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

CHECKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check_includes.py")


ROOTS = []


def tree(files):
    """A temporary repository holding files {path: text}; returns its root."""
    root = tempfile.mkdtemp(prefix="pm-includes-")
    ROOTS.append(root)
    for path, text in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)
    return root


def run(root, allow=None):
    args = [sys.executable, CHECKER, "--root", root]
    if allow is not None:
        path = os.path.join(root, "allow.txt")
        with open(path, "w") as f:
            f.write(allow)
        args += ["--allow", path]
    p = subprocess.run(args, capture_output=True, text=True)
    return p.returncode, p.stdout


GOOD = {
    "src/base/arena.h": "#include <stddef.h>\n",
    "src/text/line.h": '#include "base/arena.h"\n',
    "src/layout/frame.h": '/* frame */\n#include <cairo.h>\n#include "text/line.h"\n#include "layout/flow.h"\n',
    "src/layout/flow.h": "\n",
    "src/app/main.c": '#include "layout/frame.h"\n#include "base/arena.h"\n',
}


class IncludeRule(unittest.TestCase):
    def tearDown(self):
        while ROOTS:
            shutil.rmtree(ROOTS.pop(), ignore_errors=True)

    def test_allowed_includes_pass(self):
        rc, out = run(tree(GOOD))
        self.assertEqual(rc, 0, out)
        self.assertIn("0 violations", out)

    def test_upward_include_named_with_file_and_line(self):
        files = dict(GOOD)
        files["src/layout/flow.c"] = ('#include "layout/flow.h"\n\n#include <glib.h>\n'
                                      '#include "output/writer.h"\n#include "base/arena.h"\n')
        files["src/output/writer.h"] = '#include "layout/frame.h"\n'
        rc, out = run(tree(files))
        self.assertEqual(rc, 1, out)
        self.assertIn('src/layout/flow.c:4: error: layout/ may not include "output/writer.h": '
                      "output/ comes after layout/", out)
        self.assertEqual(out.count("error:"), 1, out)  # output/ including layout/ is fine

    def test_each_violation_reported(self):
        files = dict(GOOD)
        files["src/base/diag.c"] = '#include "app/render.h"\n#include "input/spec.h"\n'
        files["src/text/para.c"] = '#include "frame.h"\n#include "nowhere/x.h"\n'
        files["src/extra/x.c"] = '#include "base/arena.h"\n'
        rc, out = run(tree(files))
        self.assertEqual(rc, 1, out)
        for want in ('src/base/diag.c:1: error: base/ may not include "app/render.h"',
                     'src/base/diag.c:2: error: base/ may not include "input/spec.h"',
                     'src/text/para.c:1: error: "frame.h" does not name its folder',
                     'src/text/para.c:2: error: "nowhere/x.h": nowhere/ is not a stage folder',
                     "src/extra/x.c:1: error: src/extra/ is not a known stage folder"):
            self.assertIn(want, out)
        self.assertIn("5 violations", out)

    def test_allow_list_and_stale_entries(self):
        files = dict(GOOD)
        files["src/text/paragraph.h"] = '#include "text/line.h"\n#include "layout/frame.h"\n'
        root = tree(files)
        rc, out = run(root, "# comment\nsrc/text/paragraph.h layout/frame.h  # moving\n")
        self.assertEqual(rc, 0, out)
        self.assertIn("src/text/paragraph.h:2: note: allowed for now", out)
        # the violation fixed, the entry left behind: an error naming the list's line
        rc, out = run(tree(GOOD), "\nsrc/text/paragraph.h layout/frame.h  # moving\n")
        self.assertEqual(rc, 1, out)
        self.assertIn("allow.txt:2: error: 'src/text/paragraph.h layout/frame.h' is allowed but no longer happens", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
