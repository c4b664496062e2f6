"""Glossaries: the entry model, file formats, paradigm compilation, matching and enforcement."""
