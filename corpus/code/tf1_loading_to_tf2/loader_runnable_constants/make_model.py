"""Writes the TF1 model of `loader_runnable_saved_model` (runs its writer; not rewritten).

Usage: python make_model.py MODEL_DIR
"""

import runpy
from pathlib import Path

WRITER = Path(__file__).resolve().parent.parent / "loader_runnable_saved_model" / "make_model.py"
runpy.run_path(str(WRITER), run_name="__main__")
