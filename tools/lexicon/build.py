"""Build litkit's general lexicon files from the compact tables beside this script.

Why a generator: the tables (one line per concept: label, parents, Chinese, French, English
variants) are easy to review, while the shipped artefact is the JSON the loader reads. The
generator applies two general rules so that the tables stay short:

- French DCI from the English INN when the table gives none (INN -in -> DCI -ine,
  -en -> -ène; every other INN ending is written the same in French);
- traditional Chinese from the simplified names by OpenCC (s2t and s2tw), only at build time.

Run (OpenCC is a build-time tool, not a dependency of litkit):

    pip install opencc && python tools/lexicon/build.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import opencc

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "litkit" / "resources" / "lexicon"
S2T = opencc.OpenCC("s2t")
S2TW = opencc.OpenCC("s2tw")

# Short aliases for the parents of the original lexicon (MeSH ids where it has them).
ALIASES = {
    "cs": "D000305",
    "nsaid": "D000894",
    "abx": "D000900",
    "bp": "D004164",
    "an": "D000700",
    "opi": "litkit:opioids",
    "imm": "litkit:immunosuppressants",
    "dmard": "litkit:dmards",
    "tnf": "litkit:tnf-inhibitors",
    "chemo": "litkit:chemotherapy",
    "biologics": "litkit:biologics",
    "il-6-inhibitors": "litkit:il-6-inhibitors",
    "D-radiotherapy": "litkit:radiotherapy",
    "D-biopsy": "D001706",
    "ultrasound": "D014463",
    "imaging": "litkit:imaging",
    "histology": "litkit:histology",
    "genetic-testing": "litkit:genetic-testing",
}


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def french(inn: str) -> str:
    """The French DCI of an English INN by the regular suffix correspondences."""
    if inn.endswith("in") and not inn.endswith("ain"):
        return inn + "e"
    if inn.endswith("en"):
        return inn[:-2] + "ène"
    return inn


def term(text: str) -> str | dict[str, object]:
    """An abbreviation in capitals (ART, PPI, TKIs) only matches as written."""
    if sum(ch.isupper() for ch in text) >= 2 and " " not in text and len(text) <= 8:
        return {"text": text, "case_sensitive": True}
    return text


def split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def rows(name: str) -> list[list[str]]:
    out = []
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cells = line.split("|")
            out.append(cells + [""] * (6 - len(cells)))
    return out


def existing() -> tuple[set[str], set[str]]:
    """Ids and labels of the hand-made files, which the generated files must not repeat."""
    ids, labels = set(), set()
    for path in OUT.glob("*.json"):
        if path.name.startswith("general_"):
            continue
        for concept in json.loads(path.read_text(encoding="utf-8"))["concepts"]:
            ids.add(concept["id"])
            labels.add(concept["label"])
    return ids, labels


def parent_ids(cell: str, local: dict[str, str]) -> list[str]:
    found = []
    for name in split(cell.replace(",", ";")):
        if name in ALIASES:
            found.append(ALIASES[name])
        elif name in local:
            found.append(local[name])
        elif ":" in name or re.fullmatch(r"D[0-9]{6,9}", name):
            found.append(name)
        else:
            found.append(f"litkit:{name}")
    return found


def synonyms(label: str, en: list[str], fr: list[str], zh: list[str]) -> dict[str, list]:
    names: dict[str, list] = {"en": [term(t) for t in dict.fromkeys([label, *en])]}
    if fr:
        names["fr"] = [term(t) for t in dict.fromkeys(fr)]
    if zh:
        names["zh-Hans"] = [term(t) for t in dict.fromkeys(zh)]
        hant = [S2T.convert(t) for t in zh] + [S2TW.convert(t) for t in zh]
        names["zh-Hant"] = [term(t) for t in dict.fromkeys(hant)]
    return names


def build() -> None:
    known_ids, known_labels = existing()
    classes, drugs, procedures, tests = [], [], [], []
    drug_labels = {cells[0] for cells in rows("drugs.tsv")}
    for cid, label, parents, en, fr, zh in rows("classes.tsv"):
        concept = {"id": cid, "category": "drug_class", "label": label, "kind": "class"}
        concept["synonyms"] = synonyms(label, split(en), split(fr), split(zh))
        if label.removesuffix("s") in drug_labels:  # "tetracyclines" folds to the drug's name
            concept["synonyms"]["en"] = [t for t in concept["synonyms"]["en"] if t != label]
        if parents:
            concept["parents"] = parent_ids(parents, {})
        classes.append(concept)
    for table, category, kind, out in (
        ("drugs.tsv", "treatment", "drug", drugs),
        ("procedures.tsv", "treatment", "procedure", procedures),
        ("tests_general.tsv", "test", None, tests),
    ):
        local = {}
        for label, *_ in rows(table):
            local[label] = f"litkit:{slug(label)}"
        for label, parents, zh, fr, en, *_ in rows(table):
            if label in known_labels:
                print(f"skip {label!r}: already in the hand-made lexicon", file=sys.stderr)
                continue
            cid = local[label]
            if cid in known_ids:
                cid = f"litkit:{kind or category}.{slug(label)}"
            french_names = split(fr) or ([french(label)] if kind == "drug" else [])
            concept = {"id": cid, "category": category, "label": label}
            if kind:
                concept["kind"] = kind
            concept["synonyms"] = synonyms(label, split(en), french_names, split(zh))
            if parents:
                concept["parents"] = parent_ids(parents, local)
            out.append(concept)
    for name, concepts, what in (
        ("general_drug_classes.json", classes, "drug classes (ATC levels 3-4)"),
        ("general_drugs.json", drugs, "drugs (WHO Model List of Essential Medicines and more)"),
        ("general_procedures.json", procedures, "procedures and non-drug interventions"),
        ("general_tests.json", tests, "tests and imaging"),
    ):
        data = {
            "$schema": "../../../schemas/lexicon.schema.json",
            "description": f"litkit general lexicon: {what}; generated by tools/lexicon/build.py",
            "concepts": concepts,
        }
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"{name}: {len(concepts)} concepts", file=sys.stderr)


if __name__ == "__main__":
    build()
