"""LibCST codemods that migrate TensorFlow 1 source code to TensorFlow 2.

The code-rewriting path never imports TensorFlow: names are resolved from each module's
imports (see `codemods.names`), so rewriting a large tree stays fast and works without TF.
"""
