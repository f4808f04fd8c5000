"""tf-migrate: TensorFlow 1 -> TensorFlow 2 conversion, parity and code rewriting.

Importing this package must stay cheap: TensorFlow is imported only by the modules that
run graphs (converter, parity), never by the CLI entry point or the code-rewriting path.
"""

__version__ = "0.1.0"
