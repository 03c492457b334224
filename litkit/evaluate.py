"""Score litkit against a gold folder (`texts/` + `gold.jsonl`, see the gold annotation guide).

Gold sentences are exact substrings of the raw files while segments point into the cleaned
text, so alignment goes through the stored clean-to-original offset map: each gold sentence is
located in the original text (in document order, whitespace-tolerant), and each segment is
mapped back to original offsets. A gold sentence is "segmented right" when exactly one segment
covers it nearly exactly (both ways); its predicted labels come from the segment that overlaps
it most.
"""

from __future__ import annotations

import bisect
import json
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import LitkitError
from .ingest import IngestOptions, ingest
from .lexicon import TREATMENT_CATEGORIES
from .models import CleanText
from .store import open_db
from .vocab import CLAIM_TYPES, DIRECTIONS

TYPES = CLAIM_TYPES
MATCH_COVERAGE = 0.8  # share of both the gold sentence and the segment that must overlap


@dataclass
class Prediction:
    """What the system said about one gold sentence."""

    gold: dict[str, Any]
    lang: str | None = None
    types: set[str] = field(default_factory=set)
    treatments: set[str] = field(default_factory=set)
    negated: bool = False
    outcomes: dict[str, str] = field(default_factory=dict)  # gold-style name -> direction
    exact_matches: int = 0
    segment_text: str | None = None


def _locate(original: str, text: str, cursor: int) -> tuple[int, int] | None:
    """Find a gold sentence in the original text, preferring the next occurrence after cursor."""
    for start_at in (cursor, 0):
        found = original.find(text, start_at)
        if found >= 0:
            return found, found + len(text)
    tokens = text.split()
    if not tokens:
        return None
    pattern = re.compile(r"\s+".join(re.escape(t) for t in tokens))
    match = pattern.search(original, cursor) or pattern.search(original)
    return (match.start(), match.end()) if match else None


def _segments_in_original(db: Any, doc: dict[str, Any]) -> list[dict[str, Any]]:
    anchors = tuple(map(tuple, json.loads(doc["offset_map"])))
    clean = CleanText(doc["text"], doc["original"], anchors)
    treatments: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {"": ""}
    for segment_id, concept, label, category in db.execute(
        "SELECT segment_id, concept_id, label, category FROM mentions"
        " WHERE segment_id > ? AND segment_id < ?",  # the document's sentences (their key)
        [f"{doc['id']}-", f"{doc['id']}."],
    ):
        if category in TREATMENT_CATEGORIES:
            treatments[segment_id].add(label.lower())
            names[concept] = label.lower()
    segments = []
    for row in db.execute(
        'SELECT id, start, "end", text, lang, types, negated, outcomes FROM segments'
        " WHERE doc_id = ? ORDER BY idx",
        [doc["id"]],
    ):
        seg_id, start, end, text, lang, types, negated, outcomes = row
        segments.append(
            {
                "ostart": clean.to_original(start),
                "oend": clean.to_original(end),
                "text": text,
                "lang": lang,
                "types": set(json.loads(types)),
                "treatments": treatments[seg_id],
                "negated": bool(negated),
                "outcomes": {
                    names.get(p["treatment"], p["treatment"]): p["direction"]
                    for p in json.loads(outcomes)
                },
            }
        )
    return segments


def _predict(gold_rows: list[dict[str, Any]], original: str, segments: list[dict[str, Any]]):
    starts = [s["ostart"] for s in segments]
    cursor = 0
    for gold in gold_rows:
        prediction = Prediction(gold)
        span = _locate(original, gold["text"], cursor)
        if span:
            gstart, gend = span
            cursor = gend
            best, best_overlap = None, 0
            first = max(bisect.bisect_right(starts, gstart) - 1, 0)
            for segment in segments[first:]:
                if segment["ostart"] >= gend:
                    break
                overlap = min(gend, segment["oend"]) - max(gstart, segment["ostart"])
                if overlap <= 0:
                    continue
                seg_len = max(segment["oend"] - segment["ostart"], 1)
                if overlap >= MATCH_COVERAGE * max(gend - gstart, 1) and (
                    overlap >= MATCH_COVERAGE * seg_len
                ):
                    prediction.exact_matches += 1
                if overlap > best_overlap:
                    best, best_overlap = segment, overlap
            if best:
                prediction.lang = best["lang"]
                prediction.types = best["types"]
                prediction.treatments = best["treatments"]
                prediction.negated = best["negated"]
                prediction.outcomes = best["outcomes"]
                prediction.segment_text = best["text"]
        yield prediction


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _type_scores(predictions: list[Prediction]) -> dict[str, tuple[float, float, float]]:
    scores = {}
    for type_ in TYPES:
        tp = sum(1 for p in predictions if type_ in p.types and type_ in p.gold["types"])
        fp = sum(1 for p in predictions if type_ in p.types and type_ not in p.gold["types"])
        fn = sum(1 for p in predictions if type_ not in p.types and type_ in p.gold["types"])
        scores[type_] = _f1(tp, fp, fn)
    return scores


def _macro_f1(predictions: list[Prediction]) -> float:
    scores = _type_scores(predictions)
    return sum(f for _, _, f in scores.values()) / len(TYPES)


def _gold_pairs(prediction: Prediction) -> dict[str, str]:
    return {p["treatment"]: p["direction"] for p in prediction.gold.get("outcomes", ())}


def direction_scores(predictions: list[Prediction]) -> dict[str, tuple[float, int]]:
    """Direction accuracy over the gold (sentence, treatment) pairs, and per-class F1.

    A gold pair is right when litkit gives the same treatment (mention label lowercased, ""
    for none) the same direction in that sentence. `accuracy_found` counts only the pairs
    whose treatment litkit found in the sentence (or "" pairs), to tell attribution errors
    from treatments the lexicon does not know. Per class, a predicted pair is a true
    positive when the gold has that pair with that direction."""
    total = right = found = right_found = 0
    counts = {d: [0, 0, 0] for d in DIRECTIONS}  # tp, fp, fn
    for p in predictions:
        gold = _gold_pairs(p)
        for name, direction in gold.items():
            total += 1
            ok = p.outcomes.get(name) == direction
            right += ok
            if name == "" or name in p.treatments:
                found += 1
                right_found += ok
            if not ok:
                counts[direction][2] += 1
        for name, direction in p.outcomes.items():
            if gold.get(name) == direction:
                counts[direction][0] += 1
            else:
                counts[direction][1] += 1
    scores: dict[str, tuple[float, int]] = {
        "direction_accuracy": (right / total if total else 1.0, total),
        "direction_accuracy_found": (right_found / found if found else 1.0, found),
    }
    for direction, (tp, fp, fn) in counts.items():
        scores[f"direction_{direction}_f1"] = (_f1(tp, fp, fn)[2], tp + fn)
    return scores


def score(predictions: list[Prediction]) -> list[dict[str, Any]]:
    """Flat metric rows: {metric, scope, value, n}."""
    rows: list[dict[str, Any]] = []

    def add(metric: str, scope: str, value: float, n: int) -> None:
        rows.append({"metric": metric, "scope": scope, "value": round(value, 4), "n": n})

    by_lang: dict[str, list[Prediction]] = defaultdict(list)
    for p in predictions:
        by_lang[p.gold["lang"]].append(p)
    n = len(predictions)
    add("language_accuracy", "all", sum(p.lang == p.gold["lang"] for p in predictions) / n, n)
    for lang, group in sorted(by_lang.items()):
        accuracy = sum(p.lang == lang for p in group) / len(group)
        add("language_accuracy", lang, accuracy, len(group))
    add("segmentation", "all", sum(p.exact_matches == 1 for p in predictions) / n, n)
    for type_, (precision, recall, f1) in _type_scores(predictions).items():
        # `type_` prefix: "treatment_f1" is the score of the normalised treatments below
        add(f"type_{type_}_precision", "all", precision, n)
        add(f"type_{type_}_recall", "all", recall, n)
        add(f"type_{type_}_f1", "all", f1, n)
    add("macro_f1", "all", _macro_f1(predictions), n)
    for lang, group in sorted(by_lang.items()):
        add("macro_f1", lang, _macro_f1(group), len(group))
    tp = sum(len(p.treatments & set(p.gold["treatments"])) for p in predictions)
    fp = sum(len(p.treatments - set(p.gold["treatments"])) for p in predictions)
    fn = sum(len(set(p.gold["treatments"]) - p.treatments) for p in predictions)
    precision, recall, f1 = _f1(tp, fp, fn)
    add("treatment_precision", "all", precision, n)
    add("treatment_recall", "all", recall, n)
    add("treatment_f1", "all", f1, n)
    add("negation_accuracy", "all", sum(p.negated == p.gold["negated"] for p in predictions) / n, n)
    # Negated sentences are few: accuracy hides a system that never says "negated", so the
    # negated class gets its own precision, recall and F1 (n = gold negated sentences).
    tp = sum(1 for p in predictions if p.negated and p.gold["negated"])
    fp = sum(1 for p in predictions if p.negated and not p.gold["negated"])
    fn = sum(1 for p in predictions if not p.negated and p.gold["negated"])
    precision, recall, f1 = _f1(tp, fp, fn)
    add("negation_precision", "all", precision, tp + fn)
    add("negation_recall", "all", recall, tp + fn)
    add("negation_f1", "all", f1, tp + fn)
    for metric, (value, count) in direction_scores(predictions).items():
        add(metric, "all", value, count)
    return rows


def load_gold(gold_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Gold rows grouped by document file name, in document order."""
    path = gold_dir / "gold.jsonl"
    if not path.is_file() or not (gold_dir / "texts").is_dir():
        raise LitkitError(f"{gold_dir}: not a gold folder (needs gold.jsonl and texts/)")
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                row = json.loads(line)
                grouped[row["doc"]].append(row)
            except (json.JSONDecodeError, KeyError) as error:
                raise LitkitError(f"{path}:{number}: bad gold line ({error})") from error
    return grouped


def evaluate(gold_dir: Path, lexicon_paths: tuple[str, ...] = ()) -> list[Prediction]:
    """Ingest the gold texts into a throwaway database and predict every gold sentence."""
    gold = load_gold(gold_dir)
    predictions: list[Prediction] = []
    with tempfile.TemporaryDirectory(prefix="litkit-eval-") as tmp:
        db = open_db(Path(tmp) / "eval.db")
        ingest(db, [str(gold_dir / "texts")], IngestOptions(lexicon_paths=lexicon_paths))
        docs = {}
        for row in db.execute("SELECT id, source, text, original, offset_map FROM documents"):
            record = dict(zip(("id", "source", "text", "original", "offset_map"), row, strict=True))
            docs[Path(record["source"]).name] = record
        for name, gold_rows in gold.items():
            doc = docs.get(name)
            if doc is None:
                predictions.extend(Prediction(g) for g in gold_rows)
                continue
            segments = _segments_in_original(db, doc)
            predictions.extend(_predict(gold_rows, doc["original"], segments))
        db.close()
    return predictions


def errors(predictions: list[Prediction]) -> list[dict[str, Any]]:
    """Every gold sentence the system got wrong in some respect, for error analysis."""
    rows = []
    for p in predictions:
        gold = p.gold
        wrong = []
        if p.exact_matches != 1:
            wrong.append(f"segments={p.exact_matches}")
        if p.lang != gold["lang"]:
            wrong.append(f"lang={p.lang}")
        if p.types != set(gold["types"]):
            wrong.append(f"types={sorted(p.types)}")
        if p.treatments != set(gold["treatments"]):
            wrong.append(f"treatments={sorted(p.treatments)}")
        if p.negated != gold["negated"]:
            wrong.append(f"negated={p.negated}")
        gold_pairs = _gold_pairs(p)
        if gold_pairs and any(p.outcomes.get(k) != v for k, v in gold_pairs.items()):
            wrong.append(f"outcomes={json.dumps(p.outcomes, ensure_ascii=False)}")
        if wrong:
            rows.append(
                {
                    "doc": gold["doc"],
                    "wrong": "; ".join(wrong),
                    "gold_lang": gold["lang"],
                    "gold_types": gold["types"],
                    "gold_treatments": gold["treatments"],
                    "gold_negated": gold["negated"],
                    "gold_outcomes": gold.get("outcomes", []),
                    "text": gold["text"],
                    "segment": p.segment_text,
                }
            )
    return rows
