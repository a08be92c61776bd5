"""The columnar engine (issue 10): the lowered IR evaluated over a batch of persons at
once, with numpy.  vals.py holds column values; batch.py reads records into columns;
compiler.py, builtins.py and aggregates.py evaluate IR nodes; engine.py runs a batch and
hands every person it cannot answer exactly to the interpreter."""
