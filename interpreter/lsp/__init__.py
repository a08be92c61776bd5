"""`yibao lsp`: a language server for policy files (the Language Server Protocol, over
stdin and stdout, built on pygls).

    analysis.py     the open documents, checked as `yibao check` checks them
    positions.py    character offsets <-> LSP positions (UTF-16 by default); old lines ->
                    new lines after an edit
    locate.py       what the name at a place refers to
    render.py       every word shown (diagnostics, hovers, descriptions)
    completion.py   completion
    symbols.py      the document outline
    server.py       the wiring: which messages are answered, with what

Only cli_commands_lsp.py imports this package, and only when the command runs: pygls is
an optional dependency (`pip install 'yibao[lsp]'`).
"""
