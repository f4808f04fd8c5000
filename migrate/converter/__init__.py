"""TF1 model -> TF2 SavedModel conversion: locate -> rewrite graph -> load -> export -> verify."""
