"""Populations: `yibao run` (a file of records through a policy, in batches) and `yibao
generate` (seeded, valid random records for a policy).

formats.py reads and writes JSON Lines, CSV and Parquet; runner.py validates, evaluates
and writes batch by batch, keeping rows read = rows written + rows rejected; generate.py
makes records from a policy's input shape and its own values.
"""
