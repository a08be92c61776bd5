"""yibao: rules as code for Chinese basic medical insurance (医保) policy.

Installed, this is the `yibao` package: `yibao.cli` (the command line),
`yibao.interpreter` (parser, checker, IR, evaluator; `yibao.interpreter.api` is the front
door) and `yibao.grammar` (the grammar and its parser tables).  In the repository it is the
root folder, so the checkout keeps its flat layout.
"""
