"""Pure GraphDef analyses and rewrites shared by converter, inspect and parity.

They read and edit protobufs only: nothing here runs a graph or reads a file, so every layer above
the reader may use them without import cycles.
"""
