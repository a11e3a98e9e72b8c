#!/usr/bin/env python3
"""dump_check.py LAYOUT.dump [--widows N] [--orphans N]: page-level rules on a layout dump.

The rules of a dump alone, now those of tests/tools/layout_check.py without a source (every
item inside the page and its zone, nothing overlapping, no line wider than its measure or
overfull, no heading ending a page, widows and orphans); give layout_check.py --source to
check the words, figures, notes, tables and code lines too. Kept for the scripts that call
it. Exit 0 = no problem; 1 = one line per problem.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from layout_check import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
