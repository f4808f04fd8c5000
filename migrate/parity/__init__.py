"""Numeric parity between a TF1 model and its TF2 counterpart (used by `verify` and `convert`).

Layers, each replaceable on its own: runners (load + run), inputs (seeded feeds),
compare (tolerance maths), gate (orchestration), report (table / JSON / JUnit).
"""
