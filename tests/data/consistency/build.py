"""Build the name-consistency test set: multi-paragraph en/uk/ru articles and inconsistent drafts.

Run `PYTHONPATH=. python tests/data/consistency/build.py` from the repository root. The
articles are composed from the demo model's sentence templates (so the demo model translates most
sentences sensibly) and from templates written for this set (which it never saw), filled with the
names of `names.py`: people and places that no shipped glossary, no evaluation set and no
demo-model corpus holds. Every recurring name occurs 2-5 times, in at least two different cases
in each inflected language; the first mention of a person is the full name, later ones are often
the surname alone.

Each article comes with a draft per target language (uk, ru) in which later mentions of the
recurring names are written inconsistently the way machine translation does: a variant spelling
of the name in the right case, the nominative pasted where another case is needed, or the other
language's spelling. The first mention is always right (it is what a consistency stage follows),
and one article in five has a fully consistent draft (on which any change is a false repair).

`controls.jsonl` holds articles with no recurring name outside the news-ua glossary (every other
name is mentioned once), for measuring the stage's overhead where it has nothing to do.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import yaml

from models.demo import corpus, templates
from models.demo import names as demo_names
from tests.data.consistency import names as CN  # noqa: N812 (the set's names)
from tests.data.consistency.own_templates import OWN

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


CASE_TAGS = {
    "nom": "nomn",
    "gen": "gent",
    "dat": "datv",
    "acc": "accs",
    "ins": "ablt",
    "loc": "loct",
}
SLOT = re.compile(r"\{(?:(\w+):)?([a-z])((?:\.\w+)*)(?:\|([^}]*))?\}")


@dataclass(frozen=True)
class Template:
    key: str
    en: str
    uk: str
    ru: str

    def slots(self) -> list[tuple[str, str]]:
        """(slot letter, path) of every name slot in the English text, in order."""
        return [(m.group(2), m.group(3)) for m in SLOT.finditer(self.en) if m.group(4) is None]


def all_templates(demo_templates: ModuleType) -> list[Template]:
    found = [
        Template(f"demo:{i}", t.en, t.uk, t.ru) for i, t in enumerate(demo_templates.TEMPLATES)
    ]
    found += [Template(f"own:{i}", en, uk, ru) for i, (en, uk, ru) in enumerate(OWN)]
    return found


def slot_paths(text: str) -> dict[str, list[str]]:
    """Slot letter -> the paths it is used with in one language's text (verb choices excluded)."""
    found: dict[str, list[str]] = {}
    for m in SLOT.finditer(text):
        if m.group(4) is None:
            found.setdefault(m.group(2), []).append(m.group(3))
    return found


def case_of(path: str) -> str:
    parts = [p for p in path.split(".") if p]
    return next((CASE_TAGS[p] for p in parts if p in CASE_TAGS), "nomn")


def dev_names(repo: Path) -> tuple[list[CN.PersonName], list[CN.PlaceName]]:
    """Development names: the demo model's held-out names (never in this set's articles).

    Their variants are made by changing one vowel of the stem, which is enough for tuning.
    """
    raw = yaml.safe_load((repo / "models" / "demo" / "held_out.yaml").read_text(encoding="utf-8"))
    order = ("nom", "gen", "dat", "acc", "ins", "loc")
    people = []
    for row in raw["people"]:
        by = {lang: [row[lang][c] for c in order] for lang in ("uk", "ru")}
        first = {lang: tuple(f.split(" ", 1)[0] for f in by[lang]) for lang in by}
        sur = {lang: tuple(f.split(" ", 1)[1] for f in by[lang]) for lang in by}
        key = row["en"].split()[-1].lower()
        people.append(
            CN.PersonName(
                key,
                row["en"],
                bool(row.get("female")),
                first["uk"],
                sur["uk"],
                first["ru"],
                sur["ru"],
                _vary(sur["uk"]),
                _vary(sur["ru"]),
            )
        )
    places = []
    for row in raw["settlements"]:
        uk = tuple(row["uk"][c] for c in order)
        ru = tuple(row["ru"][c] for c in order)
        gender = (
            "plural"
            if uk[0].endswith(("и", "і"))
            else ("feminine" if uk[0].endswith(("а", "я")) else "masculine")
        )
        places.append(
            CN.PlaceName(row["en"].lower(), row["en"], gender, uk, ru, _vary(uk), _vary(ru))
        )
    return people, places


def _vary(forms: tuple[str, ...]) -> CN.Forms:
    swap = {"о": "а", "а": "о", "е": "и", "и": "е", "і": "и", "у": "ю"}

    def one(word: str) -> str:
        for i, ch in enumerate(word[1:], 1):
            if ch in swap:
                return word[:i] + swap[ch] + word[i + 1 :]
        return word + "о"

    return tuple(one(f) for f in forms)  # type: ignore[return-value]


class Builder:
    """Composes articles with seeded choices; see the module docstring."""

    def __init__(self, repo: Path, seed: int, *, dev: bool = False) -> None:
        self.N, self.corpus = demo_names, corpus
        self.templates = all_templates(templates)
        self.rng = random.Random(seed)
        people, places = dev_names(repo) if dev else (CN.PEOPLE, CN.PLACES)
        self.people = {p.key: p for p in people}
        self.places = {p.key: p for p in places}
        self.uses: dict[str, int] = dict.fromkeys([*self.people, *self.places], 0)

    # --- slot values -------------------------------------------------------------------------
    def person_value(self, key: str, variant: bool = False, lang: str = "") -> object:
        p = self.people[key]
        uk_sur = p.uk_sur_variant if variant and lang == "uk" else p.uk_sur
        ru_sur = p.ru_sur_variant if variant and lang == "ru" else p.ru_sur
        return self.N.person(p.en, (p.uk_first, p.ru_first), (uk_sur, ru_sur), p.female)

    def place_value(self, key: str, variant: bool = False, lang: str = "") -> object:
        p = self.places[key]
        uk = p.uk_variant if variant and lang == "uk" else p.uk
        ru = p.ru_variant if variant and lang == "ru" else p.ru
        return self.N.Place(p.en, uk, ru)

    def fillers(self) -> dict[str, object]:
        """Slots no tracked name fills: a region, country, unit, subject and numbers."""
        rng = self.rng
        return {
            "r": rng.choice(self.N.real_regions()),
            "k": rng.choice(self.N.countries()),
            "u": rng.choice(self.N.units()),
            "s": rng.choice(self.corpus._SUBJECTS),
            "n": rng.randint(1, 30),
            "m": self.corpus._count(rng),
        }

    # --- one article ---------------------------------------------------------------------------
    def pick_names(self, count: int, kinds: list[str]) -> list[str]:
        chosen: list[str] = []
        for kind in kinds[:count]:
            pool = self.people if kind == "person" else self.places
            keys = sorted(pool, key=lambda k: (self.uses[k], self.rng.random()))
            key = next(k for k in keys if k not in chosen)
            self.uses[key] += 1
            chosen.append(key)
        return chosen

    def article(self, article_id: str, *, recurring: bool = True) -> dict[str, object]:
        rng = self.rng
        if recurring:
            shapes = [
                ["person", "place"],
                ["place", "person", "place"],
                ["person", "person", "place"],
                ["place", "place"],
                ["person", "place", "person"],
            ]
            kinds = rng.choice(shapes)
            tracked = self.pick_names(len(kinds), kinds)
            wanted = {key: rng.randint(2, 5) for key in tracked}
        else:
            tracked, wanted = [], {}
        return Composer(self, article_id, tracked, wanted).compose()


class Composer:
    """Fills templates until every tracked name has its occurrences (in several cases)."""

    def __init__(
        self, builder: Builder, article_id: str, tracked: list[str], wanted: dict[str, int]
    ) -> None:
        self.b = builder
        self.id = article_id
        self.tracked = tracked
        self.wanted = wanted
        self.count = dict.fromkeys(tracked, 0)
        self.cases: dict[str, dict[str, set[str]]] = {
            k: {"uk": set(), "ru": set()} for k in tracked
        }
        self.introduced: set[str] = set()
        self.used_templates: set[str] = set()
        self.singles_used: set[str] = set()
        self.sentences: list[dict[str, object]] = []
        self.occurrences: list[dict[str, object]] = []

    def kind(self, key: str) -> str:
        return "person" if key in self.b.people else "place"

    def needy(self) -> list[str]:
        out = []
        for key in self.tracked:
            cases_ok = all(len(c) >= 2 for c in self.cases[key].values())
            short = self.count[key] < self.wanted[key] or not cases_ok
            if short and self.count[key] < 5:
                out.append(key)
        return out

    def compose(self) -> dict[str, object]:
        rng = self.b.rng
        target = rng.randint(6, 9)
        guard = 0
        while (self.needy() or len(self.sentences) < target) and guard < 200:
            guard += 1
            if len(self.sentences) >= 12:
                break
            self.add_sentence()
        return self.record()

    def single(self, kind: str) -> str:
        """A name of `kind` mentioned once in this article (never a tracked one)."""
        pool = self.b.people if kind == "person" else self.b.places
        keys = [k for k in sorted(pool) if k not in self.tracked and k not in self.singles_used]
        key = self.b.rng.choice(keys)
        self.singles_used.add(key)
        return key

    def add_sentence(self) -> None:
        rng = self.b.rng
        needy = self.needy()
        candidates = [t for t in self.b.templates if t.key not in self.used_templates]
        rng.shuffle(candidates)
        best: tuple[float, Template, dict[str, str]] | None = None
        for template in candidates[:40]:
            assignment = self.assign(template, needy)
            if assignment is None:
                continue
            score = self.value(template, assignment, needy) + rng.random() * 0.5
            if best is None or score > best[0]:
                best = (score, template, assignment)
        if best is None:
            return
        self.emit(best[1], best[2])

    def assign(self, template: Template, needy: list[str]) -> dict[str, str] | None:
        """Slot letter -> name key for the person/place slots of `template`."""
        letters = slot_paths(template.en)
        assignment: dict[str, str] = {}
        for letter, paths in letters.items():
            if letter in ("p", "q"):
                surname_only = all("sur" in p for p in paths)
                fits = [
                    k for k in needy if self.kind(k) == "person" and k not in assignment.values()
                ]
                if surname_only:
                    fits = [k for k in fits if k in self.introduced]
                if fits:
                    assignment[letter] = fits[0]
                elif surname_only:
                    return None  # a surname alone needs a person introduced earlier
                else:
                    assignment[letter] = "single:" + self.single_preview("person")
            elif letter in ("c", "d"):
                fits = [
                    k for k in needy if self.kind(k) == "place" and k not in assignment.values()
                ]
                assignment[letter] = fits[0] if fits else "single:" + self.single_preview("place")
        return assignment

    def single_preview(self, kind: str) -> str:
        pool = self.b.people if kind == "person" else self.b.places
        keys = [k for k in sorted(pool) if k not in self.tracked and k not in self.singles_used]
        return self.b.rng.choice(keys)

    def value(self, template: Template, assignment: dict[str, str], needy: list[str]) -> float:
        score = 0.0
        for letter, key in assignment.items():
            if key.startswith("single:"):
                score -= 0.6
                continue
            score += 2.0
            paths = slot_paths(template.en)[letter]
            if key in self.introduced and not any("sur" in p for p in paths):
                score -= 1.5  # a person already introduced is mostly named by surname
            for lang in ("uk", "ru"):
                path = slot_paths(getattr(template, lang))[letter][0]
                if case_of(path) not in self.cases[key][lang]:
                    score += 1.0
        if template.key.startswith("own:"):
            score -= 0.3  # keep most sentences in shapes the demo model knows
        return score

    def emit(self, template: Template, assignment: dict[str, str]) -> None:
        self.used_templates.add(template.key)
        resolved: dict[str, str] = {}
        for letter, key in assignment.items():
            if key.startswith("single:"):
                key = key.removeprefix("single:")
                self.singles_used.add(key)
                resolved[letter] = "single:" + key
            else:
                resolved[letter] = key
        index = len(self.sentences)
        texts, spans = self.render(template, resolved)
        self.sentences.append({"template": template.key, **texts})
        for letter, key in resolved.items():
            tracked = not key.startswith("single:")
            name = key.removeprefix("single:")
            for occurrence in spans[letter]:
                occurrence.update(name=name, sentence=index, recurring=tracked)
                self.occurrences.append(occurrence)
            if tracked:
                self.count[name] += len(spans[letter])
                for occurrence in spans[letter]:
                    for lang in ("uk", "ru"):
                        self.cases[name][lang].add(occurrence["cases"][lang])
                if self.kind(name) == "person":
                    self.introduced.add(name)

    def render(
        self, template: Template, resolved: dict[str, str]
    ) -> tuple[dict[str, str], dict[str, list[dict[str, object]]]]:
        b = self.b
        fill = b.fillers()
        slots: dict[str, object] = dict(fill)
        for letter, key in resolved.items():
            name = key.removeprefix("single:")
            slots[letter] = b.person_value(name) if name in b.people else b.place_value(name)
        texts: dict[str, str] = {}
        spans: dict[str, list[dict[str, object]]] = {letter: [] for letter in resolved}
        for lang in ("en", "uk", "ru"):
            text = getattr(template, lang)
            rendered = b.corpus.render(text, lang, slots)
            texts[lang] = rendered
            cursor = 0
            per_letter: dict[str, int] = {}
            for m in SLOT.finditer(text):
                letter, path, choices = m.group(2), m.group(3), m.group(4)
                if choices is not None or letter not in resolved:
                    continue
                form = b.corpus._form(slots[letter], lang, path)
                start = rendered.find(form, cursor)
                assert start >= 0, (rendered, form)
                cursor = start + len(form)
                number = per_letter.get(letter, 0)
                per_letter[letter] = number + 1
                while len(spans[letter]) <= number:
                    spans[letter].append(
                        {"surname_only": "sur" in path, "cases": {}, "spans": {}, "forms": {}}
                    )
                occurrence = spans[letter][number]
                occurrence["spans"][lang] = [start, start + len(form)]
                occurrence["forms"][lang] = form
                if lang != "en":
                    occurrence["cases"][lang] = case_of(path)
        return texts, spans

    def paragraphs(self) -> list[int]:
        """Paragraph index of each sentence: 2-4 paragraphs of 1-3 sentences."""
        rng = self.b.rng
        out: list[int] = []
        paragraph = 0
        while len(out) < len(self.sentences):
            size = rng.randint(1, 3)
            out.extend([paragraph] * size)
            paragraph += 1
        out = out[: len(self.sentences)]
        if len(set(out)) < 2 and len(out) > 1:
            out[-1] = out[-2] + 1
        return out

    def record(self) -> dict[str, object]:
        for sentence, paragraph in zip(self.sentences, self.paragraphs(), strict=True):
            sentence["paragraph"] = paragraph
        names = sorted({str(o["name"]) for o in self.occurrences})
        return {
            "id": self.id,
            "names": [self.b_name(key) for key in names],
            "recurring": [k for k in self.tracked if self.count[k] >= 2],
            "sentences": self.sentences,
            "occurrences": self.occurrences,
        }

    def b_name(self, key: str) -> dict[str, object]:
        b = self.b
        if key in b.people:
            p = b.people[key]
            return {
                "key": key,
                "kind": "person",
                "gender": "feminine" if p.female else "masculine",
                "en": p.en,
                "en_surname": p.en.split()[-1],
                "uk": dict(zip(CN.CASES, self.b.N.join(p.uk_first, p.uk_sur), strict=True)),
                "ru": dict(zip(CN.CASES, self.b.N.join(p.ru_first, p.ru_sur), strict=True)),
                "uk_surname": dict(zip(CN.CASES, p.uk_sur, strict=True)),
                "ru_surname": dict(zip(CN.CASES, p.ru_sur, strict=True)),
                "variants": p.extra,
            }
        p = b.places[key]
        return {
            "key": key,
            "kind": "place",
            "gender": p.gender,
            "en": p.en,
            "uk": dict(zip(CN.CASES, p.uk, strict=True)),
            "ru": dict(zip(CN.CASES, p.ru, strict=True)),
        }


def make_drafts(builder: Builder, article: dict, clean: bool) -> None:
    """Add `drafts` (per target language, per sentence) and `draft_errors` to `article`."""
    rng = builder.rng
    drafts: dict[str, list[str]] = {}
    errors: dict[str, list[dict[str, object]]] = {}
    for lang in ("uk", "ru"):
        sentences = [str(s[lang]) for s in article["sentences"]]
        edits: dict[int, list[tuple[int, int, str]]] = {}
        labels: list[dict[str, object]] = []
        seen: set[str] = set()
        for number, occurrence in enumerate(article["occurrences"]):
            name = occurrence["name"]
            if not occurrence["recurring"]:
                continue
            if name not in seen:
                seen.add(name)
                continue
            if clean or rng.random() > 0.35:
                continue
            wrong = corrupt(builder, occurrence, lang, rng)
            if wrong is None:
                continue
            form, label = wrong
            start, end = occurrence["spans"][lang]
            edits.setdefault(int(occurrence["sentence"]), []).append((start, end, form))
            labels.append({"occurrence": number, "error": label, "form": form})
        if not clean:
            ensure_each_name(builder, article, lang, edits, labels, rng)
        for index, changes in edits.items():
            text = sentences[index]
            for start, end, form in sorted(changes, reverse=True):
                text = text[:start] + form + text[end:]
            sentences[index] = text
        drafts[lang] = sentences
        errors[lang] = sorted(labels, key=lambda e: int(e["occurrence"]))
    article["drafts"] = drafts
    article["draft_errors"] = errors
    article["clean_draft"] = clean


def ensure_each_name(builder, article, lang, edits, labels, rng) -> None:
    """Every recurring name of a flawed draft has at least one inconsistent mention."""
    flawed = {article["occurrences"][int(e["occurrence"])]["name"] for e in labels}
    firsts: set[str] = set()
    for number, occurrence in enumerate(article["occurrences"]):
        name = occurrence["name"]
        if not occurrence["recurring"]:
            continue
        if name not in firsts:
            firsts.add(name)
            continue
        if name in flawed:
            continue
        wrong = corrupt(builder, occurrence, lang, rng, avoid_nominative=False)
        if wrong is None:
            continue
        start, end = occurrence["spans"][lang]
        edits.setdefault(int(occurrence["sentence"]), []).append((start, end, wrong[0]))
        labels.append({"occurrence": number, "error": wrong[1], "form": wrong[0]})
        flawed.add(name)


def corrupt(
    builder: Builder, occurrence: dict, lang: str, rng: random.Random, avoid_nominative: bool = True
) -> tuple[str, str] | None:
    """A wrong rendering of one mention: (form, error label), or None if none differs."""
    name = occurrence["name"]
    case = occurrence["cases"][lang]
    index = CN.CASES.index(case)
    other = "ru" if lang == "uk" else "uk"
    right = occurrence["forms"][lang]
    options: list[tuple[str, str]] = []
    if name in builder.people:
        p = builder.people[name]
        first = getattr(p, f"{lang}_first")
        prefix = "" if occurrence["surname_only"] else first[index] + " "
        nom_prefix = "" if occurrence["surname_only"] else first[0] + " "
        options.append((prefix + getattr(p, f"{lang}_sur_variant")[index], "variant"))
        options.append((nom_prefix + getattr(p, f"{lang}_sur")[0], "nom_paste"))
        options.append((prefix + getattr(p, f"{other}_sur")[index], "foreign_spelling"))
    else:
        p = builder.places[name]
        options.append((getattr(p, f"{lang}_variant")[index], "variant"))
        options.append((getattr(p, lang)[0], "nom_paste"))
        options.append((getattr(p, other)[index], "foreign_spelling"))
    options = [(f, label) for f, label in options if f != right]
    if not options:
        return None
    return rng.choice(options)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=ROOT)
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--seed", type=int, default=1616)
    parser.add_argument("--articles", type=int, default=44)
    parser.add_argument("--controls", type=int, default=30)
    parser.add_argument("--dev", action="store_true", help="build from the demo's held-out names")
    args = parser.parse_args()
    builder = Builder(args.repo, args.seed, dev=args.dev)
    articles = []
    for number in range(args.articles):
        article = builder.article(f"c{number + 1:03d}")
        make_drafts(builder, article, clean=number % 5 == 4)
        articles.append(article)
    controls: list[dict] = []
    while len(controls) < args.controls:
        article = builder.article(f"k{len(controls) + 1:03d}", recurring=False)
        if not recurring_capitals(article):
            controls.append(article)
    stem = "dev" if args.dev else "articles"
    write(args.out / f"{stem}.jsonl", articles)
    if not args.dev:
        write(args.out / "controls.jsonl", controls)
    print(f"{len(articles)} articles, {len(controls)} controls")
    return 0


# Capitalised English words that are no names (sentence starters, demonyms).
_NOT_NAMES = frozenset(
    [
        *("The", "A", "An", "According", "Air", "Authorities", "Explosions", "Russian"),
        *("Ukrainian", "Residents", "Soldiers", "Schools", "Power", "Buses", "Journalists"),
        *("Volunteers", "With"),
    ]
)


def recurring_capitals(article: dict) -> set[str]:
    """Capitalised words (no sentence starters, no demonyms) that occur twice in the English."""
    seen: dict[str, int] = {}
    for sentence in article["sentences"]:
        for word in re.findall(r"[A-Z][a-z]+", str(sentence["en"])):
            if word not in _NOT_NAMES:
                seen[word] = seen.get(word, 0) + 1
    return {word for word, count in seen.items() if count > 1}


def write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
