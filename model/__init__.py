"""Slant's model package: data loaders, the span tagger, its training, evaluation and command line.

Kept free of imports so that `python -m model label` starts fast.
"""
