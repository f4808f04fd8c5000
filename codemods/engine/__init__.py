"""The engine: command base class, visitor driver, node index, positions, `rewrite_code`."""
