"""Turn the hand-written authoring files into the challenge set's glossary, gold and items.

    .venv/bin/python tests/data/terms-challenge/authoring/build.py [--check]

entries.yaml gives every uk/ru term word by word in each case; this script only joins those words
(and their listed alternatives) into phrases. items/*.txt give one item per line:

    en>uk | source | reference with {form@entry.case} marks | draft edits

A mark may carry the draft's version of the term and its error label,
{Ізюмі@izium.loct>Ізюм!nom_paste}. Draft edits are `old=>new` rewrites of the reference (the
rest of the draft's wording), separated by " ; ", each optionally labelled `!label@entry`. Every
item is checked (entries exist, forms belong to the gold case, the source mentions each entry as
often as the reference marks it, labels fit the draft) before anything is written. challenge.jsonl
is frozen: once its sha256 is in the README, rebuilding must reproduce it byte for byte
(`--check` compares instead of writing).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
OUT = HERE.parent
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
LABELS = frozenset(
    {
        "nom_paste",
        "wrong_case",
        "foreign_spelling",
        "translit",
        "dropped",
        "gender_agreement",
        "wrong_entity",
    }
)
# Labels whose error sits in the term's own span (the others sit in a neighbouring word).
SPAN_LABELS = LABELS - {"gender_agreement"}
DIRECTIONS = ("en>uk", "en>ru", "uk>ru", "ru>uk")
FAMILIES = (
    "preposition",
    "verb_government",
    "apposition",
    "coordination",
    "name_agreement",
    "possessive",
    "sentence_initial",
    "plural_toponym",
    "indeclinable",
    "multiword",
)
# Entries that only the held-out set uses: the dev set never shows them.
CHALLENGE_ONLY = frozenset(
    {
        *("drapatyi", "taburets", "slutsky", "starmer", "duda", "fico", "georgieva", "kos"),
        *("matviichuk", "yarovaya", "toretsk", "izmail", "zhytomyr", "huliaipole", "lubny"),
        *("velyka_pysarivka", "krasnodar_krai", "kamianets_podilskyi", "riyadh", "tolyatti"),
        *("trypillia_tpp", "echr", "pace"),
    }
)
DEV_SHARE = 0.235
MAX_DEV_SHARE_PER_ENTRY = 0.45
SEED = 18
MARK = re.compile(r"\{([^{}@]+)@([a-z_]+)\.([a-z]{4})(?:>([^{}!]*)!([a-z_]+))?\}")
GLOSSARY_HEAD = {
    "name": "terms-challenge",
    "description": "Names, places and organisations of Ukrainian, Russian and international news "
    "(held-out terminology challenge set, issue 18)",
    "languages": ["en", "uk", "ru"],
    "version": 1,
}


class BuildError(Exception):
    """A rule of the data is broken; the message names the item or entry."""


# ------------------------------------------------------------------------------ entries


def word_cases(spec: str) -> list[list[str]]:
    """A word spec -> per case, its alternatives (a fixed word is the same in every case)."""
    if spec == "-":
        return [["-"]] * 6
    slots = [slot.strip() for slot in spec.split(",")]
    if len(slots) == 1:
        return [[slots[0]]] * 6
    if len(slots) != 6:
        raise BuildError(f"word spec {spec!r} has {len(slots)} slots, not 6")
    return [slot.split("/") for slot in slots]


def join_words(words: tuple[str, ...]) -> str:
    text = ""
    for index, word in enumerate(words):
        if word == "-":
            continue
        glue = "-" if index and words[index - 1] == "-" else " "
        text = word if not text else text + glue + word
    return text


def phrase_cases(specs: list[str]) -> list[list[str]]:
    """Per case: the preferred phrase first, then every other combination of alternatives."""
    per_word = [word_cases(spec) for spec in specs]
    table = []
    for case in range(6):
        options = [word[case] for word in per_word]
        phrases = [join_words(combo) for combo in itertools.product(*options)]
        table.append(list(dict.fromkeys(phrases)))
    return table


def alt_specs(lang_spec: dict[str, Any]) -> list[str] | None:
    alt = lang_spec.get("alt")
    if alt is None:
        return None
    words: list[str] = lang_spec["p"]
    if all(isinstance(item, int) for item in alt):
        return [words[index] for index in alt]
    return [str(item) for item in alt]


def gold_entry(raw: dict[str, Any]) -> dict[str, Any]:
    """One entry in the shared glossary-gold.yaml layout."""
    entry: dict[str, Any] = {key: raw[key] for key in ("id", "kind", "gender", "animate")}
    entry["declinable"] = raw["declinable"]
    terms: dict[str, list[str]] = {"en": list(raw["en"])}
    forms: dict[str, dict[str, str]] = {}
    forms_alt: dict[str, dict[str, str]] = {}
    variants: dict[str, dict[str, list[str]]] = {}
    for lang in ("uk", "ru"):
        main = phrase_cases(raw[lang]["p"])
        forms[lang] = {case: main[i][0] for i, case in enumerate(CASES)}
        extra = {case: main[i][1:] for i, case in enumerate(CASES)}
        terms[lang] = [main[0][0]]
        specs = alt_specs(raw[lang])
        if specs is not None:
            alt = phrase_cases(specs)
            forms_alt[lang] = {case: alt[i][0] for i, case in enumerate(CASES)}
            for i, case in enumerate(CASES):
                extra[case] += alt[i][1:]
            terms[lang].append(alt[0][0])
        kept = {case: list(dict.fromkeys(forms_)) for case, forms_ in extra.items() if forms_}
        if kept:
            variants[lang] = kept
    entry["terms"] = terms
    if raw.get("forbidden"):
        entry["forbidden"] = raw["forbidden"]
    entry["forms"] = forms
    if forms_alt:
        entry["forms_alt"] = forms_alt
    if variants:
        entry["variants"] = variants
    if raw.get("note"):
        entry["note"] = raw["note"]
    return entry


@dataclass
class Gold:
    """Accepted forms per entry, language and case, for checking items."""

    entries: dict[str, dict[str, Any]]
    by_case: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    accepted: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: list[dict[str, Any]]) -> Gold:
        gold = cls({entry["id"]: entry for entry in entries})
        for entry in entries:
            for lang in ("uk", "ru"):
                pool = gold.accepted.setdefault((entry["id"], lang), set())
                for key in ("forms", "forms_alt"):
                    for case, form in (entry.get(key) or {}).get(lang, {}).items():
                        gold.by_case.setdefault((entry["id"], lang, case), set()).add(form)
                        pool.add(form)
                for case, extra in (entry.get("variants") or {}).get(lang, {}).items():
                    gold.by_case.setdefault((entry["id"], lang, case), set()).update(extra)
                    pool.update(extra)
            gold.accepted[(entry["id"], "en")] = set(entry["terms"]["en"])
        return gold

    def nominatives(self, eid: str, lang: str) -> set[str]:
        return self.by_case.get((eid, lang, "nomn"), set())


def load_entries() -> list[dict[str, Any]]:
    raw = yaml.safe_load((HERE / "entries.yaml").read_text(encoding="utf-8"))["entries"]
    ids = [entry["id"] for entry in raw]
    duplicates = [eid for eid, count in Counter(ids).items() if count > 1]
    if duplicates:
        raise BuildError(f"duplicate entry ids: {duplicates}")
    return [gold_entry(entry) for entry in raw]


def user_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """What a user writes: the gold entry without the hand-checked paradigms."""
    return {k: v for k, v in entry.items() if k not in ("forms", "forms_alt", "variants")}


# ------------------------------------------------------------------------------ items


@dataclass
class Item:
    family: str
    src_lang: str
    tgt_lang: str
    src: str
    ref: str
    terms: list[dict[str, str]]
    draft: str
    draft_errors: list[str]
    where: str

    def record(self, item_id: str) -> dict[str, Any]:
        return {
            "id": item_id,
            "src_lang": self.src_lang,
            "tgt_lang": self.tgt_lang,
            "family": self.family,
            "src": self.src,
            "ref": self.ref,
            "terms": self.terms,
            "draft": self.draft,
            "draft_errors": self.draft_errors,
        }


def parse_line(line: str, family: str, where: str) -> Item:
    parts = [part.strip() for part in line.split(" | ")]
    if len(parts) not in (3, 4):
        raise BuildError(f"{where}: expected 'dir | src | ref | edits', got {len(parts)} fields")
    direction, src, marked = parts[:3]
    edits = parts[3] if len(parts) == 4 else ""
    if direction not in DIRECTIONS:
        raise BuildError(f"{where}: unknown direction {direction!r}")
    src_lang, tgt_lang = direction.split(">")
    terms: list[dict[str, str]] = []
    labels: list[str] = []
    ref_parts: list[str] = []
    draft_parts: list[str] = []
    at = 0
    for mark in MARK.finditer(marked):
        form, eid, case, draft_form, label = mark.groups()
        ref_parts.append(marked[at : mark.start()])
        draft_parts.append(marked[at : mark.start()])
        ref_parts.append(form)
        draft_parts.append(form if label is None else draft_form)
        terms.append({"id": eid, "ref_form": form, "case": case})
        if label is not None:
            if draft_form == form:
                raise BuildError(f"{where}: {label} on {eid} but the draft keeps {form!r}")
            labels.append(f"{label}:{eid}")
        at = mark.end()
    ref_parts.append(marked[at:])
    draft_parts.append(marked[at:])
    ref, draft = "".join(ref_parts), "".join(draft_parts)
    if "{" in ref or "}" in ref:
        raise BuildError(f"{where}: a term mark did not parse: {ref}")
    for edit in filter(None, (e.strip() for e in edits.split(" ; "))):
        draft, label = apply_edit(draft, edit, where)
        if label:
            labels.append(label)
    return Item(family, src_lang, tgt_lang, src, ref, terms, draft, list(dict.fromkeys(labels)),
                where)  # fmt: skip


def apply_edit(draft: str, edit: str, where: str) -> tuple[str, str | None]:
    label = None
    if "!" in edit:
        edit, tail = edit.rsplit("!", 1)
        name, _, eid = tail.partition("@")
        label = f"{name}:{eid}"
    old, sep, new = edit.partition("=>")
    if not sep or draft.count(old) != 1:
        raise BuildError(f"{where}: edit {edit!r} must name text found once in the draft")
    return draft.replace(old, new), label


def read_items() -> list[Item]:
    items: list[Item] = []
    for path in sorted((HERE / "items").glob("*.txt")):
        family = ""
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if line.startswith("## "):
                family = line[3:].strip()
                if family not in FAMILIES:
                    raise BuildError(f"{path.name}:{number}: unknown family {family!r}")
            elif line and not line.startswith("#"):
                items.append(parse_line(line, family, f"{path.name}:{number}"))
    return items


def occurrences(text: str, forms: dict[str, str], lang: str) -> Counter[str]:
    """Entry id -> whole-word occurrences of its forms in `text`, longest first, no overlaps."""
    found = []
    for form, eid in forms.items():
        variants = {form}
        if lang != "en":
            variants.add(form[:1].upper() + form[1:])
        for spelled in (v for v in variants if v in text):
            pattern = rf"(?<![\w’'-]){re.escape(spelled)}(?![\w’-])"
            found += [(m.start(), m.end(), eid) for m in re.finditer(pattern, text)]
    found.sort(key=lambda span: (span[0] - span[1], span[0]))
    taken: list[tuple[int, int, str]] = []
    for span in found:
        if all(span[1] <= other[0] or span[0] >= other[1] for other in taken):
            taken.append(span)
    return Counter(eid for _, _, eid in taken)


def check_item(item: Item, gold: Gold, forms_by_lang: dict[str, dict[str, str]]) -> None:
    where, tgt = item.where, item.tgt_lang
    if not item.family:
        raise BuildError(f"{where}: no family header above the item")
    if not item.terms:
        raise BuildError(f"{where}: no term is marked")
    for term in item.terms:
        eid, case, form = term["id"], term["case"], term["ref_form"]
        if eid not in gold.entries:
            raise BuildError(f"{where}: unknown entry {eid!r}")
        if form not in gold.by_case.get((eid, tgt, case), set()):
            raise BuildError(f"{where}: {form!r} is not a gold {tgt} {case} form of {eid}")
    marked = Counter(term["id"] for term in item.terms)
    in_src = occurrences(item.src, forms_by_lang[item.src_lang], item.src_lang)
    in_ref = occurrences(item.ref, forms_by_lang[tgt], tgt)
    if in_src != marked or in_ref != marked:
        raise BuildError(f"{where}: marks {dict(marked)}, src {dict(in_src)}, ref {dict(in_ref)}")
    for label in item.draft_errors:
        name, _, eid = label.partition(":")
        if name not in LABELS or eid not in marked:
            raise BuildError(f"{where}: bad label {label!r}")
    check_draft(item, gold)


def check_draft(item: Item, gold: Gold) -> None:
    """A correct draft keeps every reference form; each labelled span error really is one."""
    tgt, where = item.tgt_lang, item.where
    span_wrong = {
        label.partition(":")[2]
        for label in item.draft_errors
        if label.partition(":")[0] in SPAN_LABELS
    }
    if item.draft == item.ref and item.draft_errors:
        raise BuildError(f"{where}: labelled errors but the draft equals the reference")
    needed = Counter(t["ref_form"] for t in item.terms if t["id"] not in span_wrong)
    for form, count in needed.items():
        pattern = rf"(?<![\w’'-]){re.escape(form)}(?![\w’-])"
        if len(re.findall(pattern, item.draft)) < count:
            raise BuildError(f"{where}: the draft lost {form!r} without a label")
    for label in item.draft_errors:
        name, _, eid = label.partition(":")
        if name == "nom_paste":
            cases = {t["case"] for t in item.terms if t["id"] == eid}
            if cases == {"nomn"}:
                raise BuildError(f"{where}: nom_paste on a nominative slot")
            if not any(_has(item.draft, f) for f in gold.nominatives(eid, tgt)):
                raise BuildError(f"{where}: nom_paste but no nominative of {eid} in the draft")


def _has(text: str, form: str) -> bool:
    return re.search(rf"(?<![\w’'-]){re.escape(form)}(?![\w’-])", text) is not None


# ------------------------------------------------------------------------------ output


def sentence_groups(items: list[Item]) -> list[list[int]]:
    """Items that must land on the same side: one family and the same entries in the same
    cases (usually one sentence written in several directions), or the same source text."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, object], int] = {}
    for index, item in enumerate(items):
        cases = frozenset((t["id"], t["case"]) for t in item.terms)
        for key in ((item.family, cases), (item.family, item.src)):
            other = first.setdefault(key, index)
            parent[root(index)] = root(other)
    members: dict[int, list[int]] = defaultdict(list)
    for index in range(len(items)):
        members[root(index)].append(index)
    return sorted(members.values(), key=min)


def split(items: list[Item]) -> tuple[list[Item], list[Item]]:
    """Held-out and dev items: a seeded share of each family, never a held-out name.

    Whole sentence groups go to one side, so the dev set never shows a held-out item in
    another language, and every entry keeps most of its occurrences in the held-out set.
    """
    rng = random.Random(SEED)
    by_family: dict[str, list[list[int]]] = defaultdict(list)
    for group in sentence_groups(items):
        by_family[items[group[0]].family].append(group)
    total = Counter(t["id"] for item in items for t in item.terms)
    dev: set[int] = set()
    shown: Counter[str] = Counter()
    for family in sorted(by_family):
        groups = by_family[family]
        wanted = round(DEV_SHARE * sum(len(g) for g in groups))
        eligible = [g for g in groups if not _entries(items, g) & CHALLENGE_ONLY]
        rng.shuffle(eligible)
        taken = 0
        for group in eligible:
            uses = Counter(t["id"] for i in group for t in items[i].terms)
            fits = all(shown[e] + n <= MAX_DEV_SHARE_PER_ENTRY * total[e] for e, n in uses.items())
            if fits and taken + len(group) <= wanted:
                dev.update(group)
                taken += len(group)
                shown.update(uses)
    challenge = [item for i, item in enumerate(items) if i not in dev]
    return challenge, [item for i, item in enumerate(items) if i in dev]


def _entries(items: list[Item], group: list[int]) -> set[str]:
    return {t["id"] for i in group for t in items[i].terms}


def jsonl(items: list[Item], prefix: str) -> str:
    return "".join(
        json.dumps(item.record(f"{prefix}{n:03d}"), ensure_ascii=False) + "\n"
        for n, item in enumerate(items, 1)
    )


def glossary_text(entries: list[dict[str, Any]], gold: bool) -> str:
    head = "# Gold paradigms of the challenge glossary (hand-checked; scoring only).\n"
    if not gold:
        head = "# Challenge glossary: entries as a user would write them (no paradigms).\n"
    body = dict(GLOSSARY_HEAD, entries=[e if gold else user_entry(e) for e in entries])
    return head + yaml.safe_dump(
        body, allow_unicode=True, sort_keys=False, width=120, default_flow_style=None
    )


def outputs() -> dict[str, str]:
    entries = load_entries()
    gold = Gold.of(entries)
    forms_by_lang: dict[str, dict[str, str]] = {"en": {}, "uk": {}, "ru": {}}
    for (eid, lang), forms in gold.accepted.items():
        for form in forms:
            forms_by_lang[lang][form] = eid
    items = read_items()
    for item in items:
        check_item(item, gold, forms_by_lang)
    challenge, dev = split(items)
    return {
        "glossary-gold.yaml": glossary_text(entries, gold=True),
        "glossary.yaml": glossary_text(entries, gold=False),
        "challenge.jsonl": jsonl(challenge, "c"),
        "dev.jsonl": jsonl(dev, "v"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the files, write none")
    args = parser.parse_args(argv)
    try:
        files = outputs()
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    stale = []
    for name, text in files.items():
        path = OUT / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    for name in ("challenge.jsonl", "dev.jsonl"):
        digest = hashlib.sha256(files[name].encode("utf-8")).hexdigest()
        print(f"{name}: {files[name].count(chr(10))} items, sha256 {digest}")
    if stale:
        print(f"differ from the authoring files: {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
