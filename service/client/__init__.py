"""Batch translation jobs: inputs, file formats, plans, atomic outputs and the resume journal."""
