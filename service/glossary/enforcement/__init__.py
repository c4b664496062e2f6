"""Enforcing glossaries per request: match terms, verify, repair and re-decode, report."""
