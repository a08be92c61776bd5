"""Make this checkout the `yibao` package for a benchmark, whatever is installed.

Installed, the code is `yibao.interpreter`, `yibao.cli`, `yibao.grammar`; in the repository
those are the root's folders and cli.py, and the root is the package.  A benchmark imports
this module first and then measures the checkout it sits in.
"""
from __future__ import annotations

import sys
import types
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def use_checkout() -> None:
    if sys.modules.get("yibao") is not None and \
            list(getattr(sys.modules["yibao"], "__path__", [])) == [str(REPO)]:
        return
    package = types.ModuleType("yibao", "this checkout, as the yibao package")
    package.__path__ = [str(REPO)]
    package.__file__ = str(REPO / "__init__.py")
    sys.modules["yibao"] = package
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))     # for tests.fuzz, which the fuzzer shares


use_checkout()
