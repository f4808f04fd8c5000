"""Test corpora for tf-migrate: generated TF1 models (`corpus.models`) and code samples."""
