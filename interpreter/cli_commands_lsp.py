"""The body of `yibao lsp`: run the language server over stdin and stdout.

pygls is optional (the `lsp` extra): without it the command says how to install it
(C699) instead of failing with a traceback.  Nothing else may write to standard output
while the server runs, since the client reads the protocol from it.
"""
from __future__ import annotations


def run(cli, lang: str, forced: bool) -> int:
    from .diagnostics import Diagnostic, DiagnosticError

    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        raise DiagnosticError([Diagnostic.error("C699", None)]) from None
    from .lsp.server import serve

    serve(lang, forced)
    return cli.EXIT_OK
