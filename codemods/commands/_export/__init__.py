"""Shared by the export-to-tf.Module codemods: the base command, the planner and the emitter."""
