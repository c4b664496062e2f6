"""`tlumach glossary suggest CORPUS_DIR --to uk,ru`: a draft glossary of recurring unknown names."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry

from service.config import DEFAULT_GLOSSARIES_DIR, DEFAULT_MODELS_DIR, Settings
from service.errors import GlossaryError, ModelError
from service.folders import resolve_folders
from service.glossary.consistency.stage import FoundName, NameConsistency
from service.glossary.enforcement.enforcer import Enforcer
from service.glossary.enforcement.steps import drive
from service.glossary.io import dump_yaml
from service.glossary.model import CompiledEntry, Entry, Glossary
from service.glossary.paradigms.compiler import Compiler
from service.glossary.store import GlossaryStore
from service.metrics import Metrics
from service.model_store.engine import Engine
from service.model_store.registry import ModelInfo, ModelRegistry
from service.translation.batcher import Batcher, BatchLimits, BatchOptions
from service.translation.routes import CallAnswerer, RouteTranslator, leg_batcher
from service.translation.units import prepare_units
from service.vocab import LANGUAGES, PLAIN

SUFFIXES = (".txt", ".md", ".text")


def register(commands: Any) -> None:
    """Add `glossary suggest` to the glossary subcommands."""
    parser = commands.add_parser(
        "suggest",
        help="translate a folder of source texts and propose entries for the names that recur "
        "in them, written as the model writes them (a draft for an editor)",
    )
    parser.add_argument("corpus", type=Path, metavar="CORPUS_DIR")
    parser.add_argument(
        "--to", required=True, type=_targets, metavar="uk,ru", help="target languages"
    )
    parser.add_argument(
        "--from", dest="source", default="en", choices=LANGUAGES, help="the texts' language"
    )
    parser.add_argument("--out", type=Path, help="draft glossary (YAML); default: standard output")
    parser.add_argument(
        "--models-dir",
        type=Path,
        default=DEFAULT_MODELS_DIR,
        help="converted models; the packaged demo models when not given and absent",
    )
    parser.add_argument(
        "--glossaries-dir",
        type=Path,
        default=DEFAULT_GLOSSARIES_DIR,
        help="names its glossaries already cover are left out",
    )
    parser.add_argument("--min-files", type=int, default=1, help="least texts a name must recur in")
    parser.set_defaults(func=run_suggest)


def _targets(value: str) -> tuple[str, ...]:
    codes = tuple(code.strip() for code in value.split(",") if code.strip())
    wrong = [code for code in codes if code not in LANGUAGES]
    if not codes or wrong:
        raise argparse.ArgumentTypeError(f"use languages from {', '.join(LANGUAGES)}")
    return codes


@dataclass
class Proposal:
    """What the corpus says about one name: its source forms and each target's renderings."""

    sources: Counter[str] = field(default_factory=Counter)
    files: set[str] = field(default_factory=set)
    terms: dict[str, Counter[str]] = field(default_factory=dict)
    kinds: Counter[str] = field(default_factory=Counter)
    genders: Counter[str] = field(default_factory=Counter)


def run_suggest(args: argparse.Namespace) -> int:
    """Translate every text, collect the recurring names' entries, write the draft glossary."""
    texts = _texts(args.corpus)
    if not texts:
        print(f"no text files ({', '.join(SUFFIXES)}) under {args.corpus}", file=sys.stderr)
        return 2
    targets = [t for t in args.to if t != args.source]
    try:
        proposals = asyncio.run(_collect(texts, args.source, targets, args))
    except (ModelError, GlossaryError, ValueError) as exc:
        print(f"cannot suggest: {exc}", file=sys.stderr)
        return 2
    kept = {key: p for key, p in proposals.items() if len(p.files) >= args.min_files}
    glossary = Glossary(
        "suggested",
        f"names recurring in {args.corpus.name}",
        tuple(_entry(key, p, args.source) for key, p in sorted(kept.items())),
        description="Draft written by `tlumach glossary suggest`: check every term, kind and "
        "gender before use; the target terms are the model's own renderings.",
        languages=tuple(dict.fromkeys((args.source, *targets))),
    )
    text = dump_yaml(glossary)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"{len(kept)} names written to {args.out}", file=sys.stderr)
    return 0


def _texts(corpus: Path) -> dict[str, str]:
    """Relative path -> text of every text file under `corpus` (hidden files skipped)."""
    found: dict[str, str] = {}
    for path in sorted(corpus.rglob("*")):
        relative = path.relative_to(corpus)
        hidden = any(part.startswith(".") for part in relative.parts)
        if path.is_file() and not hidden and path.suffix.lower() in SUFFIXES:
            found[str(relative)] = path.read_text(encoding="utf-8")
    return found


async def _collect(
    texts: dict[str, str], source: str, targets: Sequence[str], args: argparse.Namespace
) -> dict[str, Proposal]:
    settings = Settings()
    folders = resolve_folders(args.models_dir, args.glossaries_dir)
    demo = [folders.demo_models] if folders.demo_models else []
    registry = ModelRegistry(folders.models, _engine, demo)
    await asyncio.to_thread(registry.load)
    compiler = Compiler()
    entries = await asyncio.to_thread(_glossary_entries, folders.glossaries, compiler)
    metrics = Metrics(CollectorRegistry(), process=False)
    batchers = {p: leg_batcher(leg, BatchLimits(), metrics) for p, leg in registry.legs.items()}
    for batcher in batchers.values():
        batcher.start()
    proposals: dict[str, Proposal] = {}
    try:
        with ThreadPoolExecutor(settings.text_threads, thread_name_prefix="text") as executor:
            stage = NameConsistency(compiler)
            for name, text in texts.items():
                for target in targets:
                    found = await _names(text, (source, target), registry, batchers, entries,
                                         stage, executor)  # fmt: skip
                    _tally(proposals, name, target, found, first=target == targets[0])
    finally:
        for batcher in batchers.values():
            await batcher.stop()
        registry.close()
    return proposals


def _engine(info: ModelInfo) -> Engine:
    return Engine(info.path, source_spm=info.source_spm, target_spm=info.target_spm)


def _glossary_entries(folder: Path, compiler: Compiler) -> tuple[CompiledEntry, ...]:
    if not folder.is_dir():
        return ()
    store = GlossaryStore(folder, compiler)
    store.load_all()
    return tuple(entry for glossary in store.list() for entry in glossary.entries)


async def _names(
    text: str,
    languages: tuple[str, str],
    registry: ModelRegistry,
    batchers: dict[str, Batcher],
    entries: Sequence[CompiledEntry],
    stage: NameConsistency,
    executor: ThreadPoolExecutor,
) -> list[FoundName]:
    """The recurring names of one text translated along one direction."""
    source, target = languages
    route = registry.route(source, target)
    if len(route.legs) > 1:
        raise ValueError(f"{route.pair} is served through a pivot; names need a direct model")
    first = route.legs[0].engine
    _, units = prepare_units(text, PLAIN, source, first.count_tokens, first.max_input_tokens)
    parts = [part for unit in units for part in unit.parts]
    if not parts:
        return []
    translator = RouteTranslator(route, batchers)
    decoded = await translator.translate(parts, BatchOptions())
    enforcer = Enforcer()
    glossary = [enforcer.find_terms(part, source, target, entries) for part in parts]
    article = stage.article(parts, [h[0].text for h in decoded], target, glossary)
    answer = CallAnswerer(translator, BatchOptions(), None)
    return await drive(stage.names(article, languages), answer, executor)


def _tally(
    proposals: dict[str, Proposal], file: str, target: str, found: list[FoundName], *, first: bool
) -> None:
    """Add one text's names in one target language (source mentions counted once per text)."""
    for name in found:
        proposal = proposals.setdefault(name.group.key.casefold(), Proposal())
        proposal.files.add(file)
        if first:
            proposal.sources.update(mention.text for mention in name.group.mentions)
        compiled = name.auto.compiled
        terms = compiled.languages.get(target)
        if terms is not None:
            proposal.terms.setdefault(target, Counter())[terms.preferred.term] += 1
        proposal.kinds[name.auto.kind] += 1
        proposal.genders[compiled.entry.gender or ""] += 1


def _entry(key: str, proposal: Proposal, source: str) -> Entry:
    """A draft entry: the name's longest source form, each target's most frequent rendering."""
    written = max(proposal.sources, key=lambda form: (len(form.split()), proposal.sources[form]))
    kind = proposal.kinds.most_common(1)[0][0]
    gender = proposal.genders.most_common(1)[0][0] or None
    terms: dict[str, tuple[str, ...]] = {source: (written,)}
    seen = []
    for language, counts in proposal.terms.items():
        ranked = [term for term, _ in counts.most_common()]
        terms[language] = tuple(ranked)
        seen.append(f"{language}: " + ", ".join(f"{t} ({counts[t]})" for t in ranked))
    note = (
        f"suggested from {sum(proposal.sources.values())} mentions in {len(proposal.files)} "
        f"text(s); kind, gender and terms guessed from the model's renderings "
        f"({'; '.join(seen)}); check before use"
    )
    slug = re.sub(r"\W+", "-", key).strip("-") or "name"
    return Entry(id=slug, kind=kind, terms=terms, gender=gender, note=note)
