"""Batch I/O: discover files, decode them, rewrite .py and notebooks, write atomically, report."""
