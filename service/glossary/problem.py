"""A problem found in a glossary file, with the file, entry and field it concerns."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding: errors stop a glossary from loading, warnings are reported and load."""

    severity: str
    """"error" or "warning"."""
    entry_id: str
    """The entry concerned; empty for file-level problems."""
    field: str
    """Dotted path of the field, e.g. `terms.uk[1]` or `forms.ru.gent`."""
    message: str
    file: str = ""

    @property
    def is_error(self) -> bool:
        """True when the problem stops the glossary from loading."""
        return self.severity == ERROR

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"file {self.file}" if self.file else "",
                f"entry {self.entry_id}" if self.entry_id else "",
                f"field {self.field}" if self.field else "",
            )
            if part
        )
        return (
            f"{self.severity}: {where}: {self.message}"
            if where
            else f"{self.severity}: {self.message}"
        )
