"""The words every part shares: languages, directions, text and glossary formats, term outcomes."""

from __future__ import annotations

LANGUAGES = ("en", "uk", "ru")
"""ISO 639-1 codes of the languages the service translates between."""
INFLECTED_LANGUAGES = ("uk", "ru")
"""Languages whose glossary terms decline (six cases), so terms compile into paradigms."""
PIVOT_LANGUAGE = "en"
"""A direction without a model of its own goes through this language (uk-ru: uk-en + en-ru)."""
PAIRS = tuple(f"{s}-{t}" for s in LANGUAGES for t in LANGUAGES if s != t)
"""Every direction, as `source-target`."""

PLAIN = "plain"
MARKDOWN = "markdown"
HTML = "html"
TEXT_FORMATS = (PLAIN, MARKDOWN, HTML)
"""Markup of a text sent for translation."""

GLOSSARY_FORMATS = ("yaml", "csv", "tsv", "tbx", "tmx")
"""Glossary files the service reads; YAML is the native one."""

KEPT = "kept"
REPAIRED_FORM = "repaired_form"
REPAIRED_REDECODE = "repaired_redecode"
FAILED = "failed"
NOT_ENFORCED = "not_enforced"
AUTO_CONSISTENCY = "auto_consistency"
"""A name no glossary covers, written the way the model first wrote it in the same text."""
TERM_OUTCOMES = (KEPT, REPAIRED_FORM, REPAIRED_REDECODE, FAILED, NOT_ENFORCED, AUTO_CONSISTENCY)
"""What glossary enforcement did with one term occurrence (also a metric label)."""

DEVICES = ("cpu", "cuda", "auto")
"""Where CTranslate2 runs a model."""
