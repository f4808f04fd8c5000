"""One public module per codemod, its private planner/emitter beside it, and the registry."""
