"""`yibao diff`: what changed between two policies, in their rules and for people.

structural.py compares the merged, checked policies on meaning (the lowered IR with
citations set apart); search.py enumerates candidate persons, smallest first, from the
input shapes and the policies' own literals; behaviour.py evaluates them under both and
keeps verified witnesses; sources.py reads a policy as it was at a git revision.
"""
