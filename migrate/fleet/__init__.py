"""`tf-migrate fleet`: migrate a model store on Apache Beam, one isolated child per model.

jobs (locate) -> process (per model: resume, isolate, publish, record) -> beam (distribution)
-> run (progress, collect) -> summary (JSON, JUnit). Only `beam` imports Apache Beam.
"""
