"""Names no glossary covers, kept consistent across an article (found, aligned, enforced)."""
