"""Glossaries: the entry model, file formats (io), paradigms built at load, enforcement."""
