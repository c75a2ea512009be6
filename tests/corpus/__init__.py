"""Helpers for running cobolspec over external corpora that are not part of the repository."""
