"""Analyses the codemods share: names through imports, scopes and bindings, sites, CST helpers."""
