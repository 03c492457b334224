"""The concept lexicon: data validity, loading and merging, hierarchy, lookups and matching."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from litkit.errors import LexiconError
from litkit.lexicon import (
    CATEGORIES,
    Lexicon,
    check_file,
    default_lexicon,
    fold,
    term_keys,
    treatment_names,
)

ROOT = Path(__file__).resolve().parents[1]
LEXICON_DIR = ROOT / "litkit" / "resources" / "lexicon"
NSAIDS, STEROIDS, TNFI = "D000894", "D000305", "litkit:tnf-inhibitors"


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return default_lexicon()


def ids(lexicon: Lexicon, text: str) -> list[str]:
    return [m.concept_id for m in lexicon.find_mentions(text)]


def write(tmp_path: Path, concepts: object, name: str = "my.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"concepts": concepts}, ensure_ascii=False), encoding="utf-8")
    return path


# -- the shipped data ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(LEXICON_DIR.glob("*.json")), ids=lambda p: p.name)
def test_shipped_file_is_valid_against_schema(path: Path) -> None:
    schema = json.loads((ROOT / "schemas" / "lexicon.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(path.read_text(encoding="utf-8")))


def test_schema_rejects_a_concept_without_category() -> None:
    schema = json.loads((ROOT / "schemas" / "lexicon.schema.json").read_text(encoding="utf-8"))
    bad = {"concepts": [{"id": "litkit:x", "label": "x"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


GUIDE_VOCABULARY = [
    "nsaids",
    "corticosteroids",
    "methylprednisolone",
    "prednisolone",
    "prednisone",
    "antibiotics",
    "azithromycin",
    "vancomycin",
    "meropenem",
    "doxycycline",
    "ciprofloxacin",
    "bisphosphonates",
    "pamidronate",
    "zoledronic acid",
    "tnf inhibitors",
    "infliximab",
    "adalimumab",
    "etanercept",
    "sulfasalazine",
    "methotrexate",
    "interferon",
    "analgesics",
    "surgery",
    "il-1 inhibitors",
    "anakinra",
    "canakinumab",
    "jak inhibitors",
    "physiotherapy",
    "traditional chinese medicine",
]


@pytest.mark.parametrize("label", GUIDE_VOCABULARY)
def test_every_guide_intervention_is_a_treatment_concept(lex: Lexicon, label: str) -> None:
    found = [c for c in lex.lookup(label) if c.label == label]
    assert found and found[0].category in ("treatment", "drug_class")


def test_biopsy_is_a_test_not_a_treatment(lex: Lexicon) -> None:
    assert {c.category for c in lex.lookup("biopsie")} == {"test"}


def test_every_concept_has_english_french_and_both_chinese_scripts(lex: Lexicon) -> None:
    missing = [
        c.id
        for c in lex.concepts()
        if not all(c.names(lang) for lang in ("en", "fr", "zh-Hans", "zh-Hant"))
    ]
    assert missing == []
    assert {c.category for c in lex.concepts()} == set(CATEGORIES)


# -- hierarchy and lookup -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("child", "ancestor"),
    [
        ("D008775", STEROIDS),
        ("litkit:pamidronate", "D004164"),
        ("litkit:infliximab", TNFI),
        ("litkit:infliximab", "litkit:biologics"),
        ("litkit:crmo", "litkit:cno"),
    ],
    ids=["methylprednisolone", "pamidronate", "infliximab", "infliximab-transitive", "crmo"],
)
def test_ancestors_and_descendants(lex: Lexicon, child: str, ancestor: str) -> None:
    assert ancestor in lex.ancestors(child)
    assert child in lex.descendants(ancestor)


def test_ancestors_of_unknown_id_raise(lex: Lexicon) -> None:
    with pytest.raises(KeyError):
        lex.ancestors("litkit:nope")


@pytest.mark.parametrize(
    "term",
    [
        "corticosteroids",
        "corticostéroïdes",
        "Corticosteroides",
        "糖皮质激素",
        "糖皮質激素",
        "D000305",
    ],
)
def test_lookup_folds_language_case_and_accents(lex: Lexicon, term: str) -> None:
    assert [c.id for c in lex.lookup(term)] == [STEROIDS]


def test_lookup_unknown_and_concepts_sorted(lex: Lexicon) -> None:
    assert lex.lookup("treatment") == []
    assert lex.get("D008775").label == "methylprednisolone"
    assert lex.get("litkit:nope") is None
    all_ids = [c.id for c in lex.concepts()]
    assert all_ids == sorted(all_ids)


# -- matching -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("concept", "text"),
    [
        (NSAIDS, "NSAIDs are the first-line treatment of CNO."),
        (NSAIDS, "Les anti-inflammatoires non stéroïdiens sont le traitement de première ligne."),
        (NSAIDS, "非甾体抗炎药是CNO的一线治疗。"),
        (NSAIDS, "非甾體抗炎藥是CNO的一線治療。"),
        (STEROIDS, "Corticosteroids were given to two patients."),
        (STEROIDS, "Les corticoïdes ont été donnés à deux patients."),
        (STEROIDS, "两例患者接受了糖皮质激素治疗。"),
    ],
    ids=["nsaid-en", "nsaid-fr", "nsaid-zh-hans", "nsaid-zh-hant", "cs-en", "cs-fr", "cs-zh"],
)
def test_same_concept_across_languages(lex: Lexicon, concept: str, text: str) -> None:
    assert concept in ids(lex, text)


@pytest.mark.parametrize(
    ("text", "surface", "concept"),
    [
        ("traités par corticostéroïdes", "corticostéroïdes", STEROIDS),
        ("traités par CORTICOSTEROIDES", "CORTICOSTEROIDES", STEROIDS),
        ("un corticostéroïde", "corticostéroïde", STEROIDS),
        ("l’IRM du bassin", "IRM", "D008279"),
        ("l'IRM du bassin", "IRM", "D008279"),
        ("pas d’AINS", "AINS", NSAIDS),
        ("under anti TNF", "anti TNF", TNFI),
        ("under anti-TNF", "anti-TNF", TNFI),
        ("under antiTNF", "antiTNF", TNFI),
        ("TNF-α inhibitors", "TNF-α inhibitors", TNFI),
        ("TNF-alpha inhibitors", "TNF-alpha inhibitors", TNFI),
        ("TNFα inhibitors", "TNFα inhibitors", TNFI),
        ("anti-inflammatoires\nnon-stéroïdiens", "anti-inflammatoires\nnon-stéroïdiens", NSAIDS),
        ("repeated MRIs", "MRIs", "D008279"),
        ("全身 MRI 方案", "全身 MRI", "litkit:whole-body-mri"),
        ("ＭＲＩ", "ＭＲＩ", "D008279"),
    ],
    ids=[
        "accent",
        "upper",
        "singular",
        "curly-elision",
        "straight-elision",
        "d-elision",
        "space",
        "hyphen",
        "joined",
        "greek",
        "alpha",
        "greek-joined",
        "line-break",
        "plural-abbrev",
        "zh-latin-mix",
        "fullwidth",
    ],
)
def test_folding_plurals_and_variants(lex: Lexicon, text: str, surface: str, concept: str) -> None:
    mentions = [m for m in lex.find_mentions(text) if m.concept_id == concept]
    assert [m.surface for m in mentions] == [surface]
    assert text[mentions[0].start : mentions[0].end] == surface


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("VS élevée", ["D001800"]),
        ("CRP vs ESR", ["D002097", "D001800"]),
        ("a CT scan", ["D014057"]),
        ("the act was", []),
        ("a PET scan", ["D049268"]),
        ("a pet dog", []),
    ],
    ids=["VS-upper", "vs-lower", "CT", "no-ct-inside-word", "PET", "pet-word"],
)
def test_case_sensitive_abbreviations_and_word_boundaries(
    lex: Lexicon, text: str, expected: list[str]
) -> None:
    assert ids(lex, text) == expected


def test_longest_match_wins(lex: Lexicon) -> None:
    mentions = lex.find_mentions("Whole-body MRI and chronic recurrent multifocal osteomyelitis")
    assert [m.concept_id for m in mentions] == ["litkit:whole-body-mri", "litkit:crmo"]
    assert [m.concept_id for m in lex.find_mentions("甲泼尼龙")] == ["D008775"]
    assert [m.concept_id for m in lex.find_mentions("泼尼松龙")] == ["D011239"]


def test_offsets_are_shifted_and_ordered(lex: Lexicon) -> None:
    text = "Pamidronate then méthotrexate; 柳氮磺吡啶."
    plain = lex.find_mentions(text)
    shifted = lex.find_mentions(text, offset=100)
    assert [m.start for m in plain] == sorted(m.start for m in plain)
    assert [(m.start + 100, m.end + 100) for m in plain] == [(m.start, m.end) for m in shifted]
    assert [text[m.start : m.end] for m in plain] == ["Pamidronate", "méthotrexate", "柳氮磺吡啶"]


def test_generic_treatment_words_are_not_named_treatments(lex: Lexicon) -> None:
    assert (
        treatment_names(lex.find_mentions("Le traitement a été efficace; 治疗有效; treatment"))
        == []
    )


def test_treatment_names_are_guide_labels_once_each(lex: Lexicon) -> None:
    text = "AINS, puis naproxène, corticothérapie, AINS et anti-TNF; 手术."
    assert treatment_names(lex.find_mentions(text)) == [
        "nsaids",
        "naproxen",
        "corticosteroids",
        "tnf inhibitors",
        "surgery",
    ]


def test_find_mentions_is_deterministic_and_handles_empty(lex: Lexicon) -> None:
    text = "MRI, CRP et VS; 骨扫描和活检。"
    assert lex.find_mentions(text) == lex.find_mentions(text)
    assert lex.find_mentions("") == []


def test_fold_keeps_length() -> None:
    text = "İstanbul Œdème l’IRM ＣＲＰ — ß"
    assert len(fold(text)) == len(text)


# -- user files -----------------------------------------------------------------------------------


def test_user_file_extends_existing_and_adds_new(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            {
                "id": "D000894",
                "category": "drug_class",
                "label": "nsaids",
                "synonyms": {"de": ["NSAR", "nichtsteroidale Antirheumatika"]},
            },
            {
                "id": "my:foo",
                "category": "treatment",
                "label": "foo drug",
                "synonyms": {"en": ["foozumab"]},
                "parents": ["litkit:biologics"],
            },
        ],
    )
    lexicon = Lexicon.load([path])
    assert ids(lexicon, "NSAR wurden gegeben") == [NSAIDS]
    assert ids(lexicon, "given foozumab") == ["my:foo"]
    assert "litkit:biologics" in lexicon.ancestors("my:foo")
    assert ids(lexicon, "AINS") == [NSAIDS]  # the default names are kept
    assert ids(default_lexicon(), "NSAR") == []  # the default lexicon is untouched


def test_user_file_overrides_label(tmp_path: Path) -> None:
    path = write(tmp_path, [{"id": "D000894", "category": "drug_class", "label": "nsaid drugs"}])
    assert Lexicon.load([path]).get(NSAIDS).label == "nsaid drugs"


@pytest.mark.parametrize(
    ("concepts", "message"),
    [
        (
            [
                {"id": "a:1", "category": "test", "label": "a"},
                {"id": "a:2", "category": "test", "label": "b"},
                {"id": "x:x", "label": "x"},
            ],
            "my.json: concept #3 (id 'x:x'): missing 'category'",
        ),
        ([{"id": "a:1", "category": "drug", "label": "a"}], "unknown category 'drug'"),
        ([{"id": "bad id", "category": "test", "label": "a"}], "bad id 'bad id'"),
        (
            [{"id": "a:1", "category": "test", "label": "a", "parents": ["a:404"]}],
            "unknown parent 'a:404'",
        ),
        ([{"id": "a:1", "category": "test", "label": "a", "synonyms": {"en": [3]}}], "bad term 3"),
        (
            [{"id": "a:1", "category": "test", "label": "a", "synonyms": {"english": ["x"]}}],
            "bad language tag",
        ),
        (
            [{"id": "a:1", "category": "test", "label": "a", "colour": "red"}],
            "unknown field 'colour'",
        ),
        (
            [
                {"id": "a:1", "category": "test", "label": "a", "parents": ["a:2"]},
                {"id": "a:2", "category": "test", "label": "b", "parents": ["a:1"]},
            ],
            "parent cycle",
        ),
    ],
    ids=[
        "missing-category",
        "bad-category",
        "bad-id",
        "unknown-parent",
        "bad-term",
        "bad-lang",
        "unknown-field",
        "cycle",
    ],
)
def test_malformed_user_file_names_file_and_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, concepts: list, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, concepts)
    with pytest.raises(LexiconError, match=r"my\.json") as info:
        Lexicon.load([Path("my.json")])
    assert message in str(info.value)
    assert any(message in problem for problem in check_file(Path("my.json")))


def test_check_file_reports_bad_json_and_accepts_good_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert "not valid JSON" in check_file(broken)[0]
    assert "cannot read" in check_file(tmp_path / "missing.json")[0]
    good = write(
        tmp_path,
        [
            {
                "id": "a:1",
                "category": "test",
                "label": "a",
                "synonyms": {"en": [{"text": "AX", "case_sensitive": True}]},
            }
        ],
    )
    assert check_file(good) == []
    assert ids(Lexicon.load([good]), "AX and ax") == ["a:1"]


# -- the general lexicon (any disease) ------------------------------------------------------------


def labels(lexicon: Lexicon, text: str) -> list[str]:
    return [m.label for m in lexicon.find_mentions(text)]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Patients with type 2 diabetes took metformin twice daily.", "metformin"),
        ("She was started on acetaminophen for the fever.", "paracetamol"),
        ("Risperidone was switched to clozapine after two failures.", "clozapine"),
        ("Le patient a reçu de l'amoxicilline pendant sept jours.", "amoxicillin"),
        ("La metformine est contre-indiquée en cas d'insuffisance rénale.", "metformin"),
        ("Un traitement par rispéridone a été instauré.", "risperidone"),
        ("La gentamicine a été arrêtée au troisième jour.", "gentamicin"),
        ("患者口服二甲双胍治疗。", "metformin"),
        ("给予阿莫西林抗感染治疗。", "amoxicillin"),
        ("加用奥氮平后症状缓解。", "olanzapine"),
        ("患者口服二甲雙胍治療。", "metformin"),
        ("給予阿莫西林抗感染。", "amoxicillin"),
        ("靜脈滴注萬古黴素。", "vancomycin"),
    ],
    ids=[
        "en-inn",
        "en-usan-synonym",
        "en-antipsychotic",
        "fr-dci-cilline",
        "fr-dci-ine",
        "fr-dci-accent",
        "fr-dci-micine",
        "zh-hans-metformin",
        "zh-hans-amoxicillin",
        "zh-hans-olanzapine",
        "zh-hant-metformin",
        "zh-hant-amoxicillin",
        "zh-hant-vancomycin",
    ],
)
def test_drugs_by_inn_dci_and_chinese_name(lex: Lexicon, text: str, label: str) -> None:
    assert label in labels(lex, text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Beta blockers were stopped before surgery.", "beta blockers"),
        ("Proton pump inhibitors were prescribed to all patients.", "proton pump inhibitors"),
        ("Second-generation antipsychotics were compared.", "antipsychotics"),
        ("SSRIs were the most common antidepressants.", "ssris"),
        ("Les bêtabloquants ont été arrêtés.", "beta blockers"),
        ("Les inhibiteurs de la pompe à protons sont souvent prescrits.", "proton pump inhibitors"),
        ("Les antidépresseurs tricycliques sont moins utilisés.", "tricyclic antidepressants"),
        ("长期使用质子泵抑制剂。", "proton pump inhibitors"),
        ("他汀类药物可降低心血管风险。", "statins"),
        ("合并使用苯二氮䓬类药物。", "benzodiazepines"),
        ("長期使用質子泵抑制劑。", "proton pump inhibitors"),
        ("使用抗精神病藥物治療。", "antipsychotics"),
        ("雙胍類藥物仍是一線治療。", "biguanides"),
    ],
    ids=[
        "en-beta-blockers",
        "en-ppi",
        "en-antipsychotics",
        "en-ssri",
        "fr-betabloquants",
        "fr-ipp",
        "fr-tricycliques",
        "zh-hans-ppi",
        "zh-hans-statins",
        "zh-hans-benzodiazepines",
        "zh-hant-ppi",
        "zh-hant-antipsychotics",
        "zh-hant-biguanides",
    ],
)
def test_drug_classes_by_language(lex: Lexicon, text: str, label: str) -> None:
    assert label in labels(lex, text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Both groups received cognitive behavioral therapy.", "cognitive behavioural therapy"),
        ("Hemodialysis was started on day three.", "haemodialysis"),
        ("Plasmapheresis was performed five times.", "plasma exchange"),
        ("Photodynamic therapy was added to scaling.", "photodynamic therapy"),
        ("Une thérapie cognitivo-comportementale a été proposée.", "cognitive behavioural therapy"),
        ("Les échanges plasmatiques ont été réalisés.", "plasma exchange"),
        ("Une séance d'acupuncture par semaine.", "acupuncture"),
        ("患者接受认知行为疗法。", "cognitive behavioural therapy"),
        ("行血液透析治疗。", "haemodialysis"),
        ("联合光动力疗法治疗。", "photodynamic therapy"),
        ("患者接受認知行為療法。", "cognitive behavioural therapy"),
        ("行血漿置換治療。", "plasma exchange"),
    ],
    ids=[
        "en-cbt",
        "en-haemodialysis-us",
        "en-plasmapheresis",
        "en-pdt",
        "fr-tcc",
        "fr-echanges",
        "fr-acupuncture",
        "zh-hans-cbt",
        "zh-hans-haemodialysis",
        "zh-hans-pdt",
        "zh-hant-cbt",
        "zh-hant-plasma-exchange",
    ],
)
def test_procedures_by_language(lex: Lexicon, text: str, label: str) -> None:
    assert label in labels(lex, text)
    assert {m.category for m in lex.find_mentions(text) if m.label == label} == {"treatment"}


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Echocardiography showed a reduced ejection fraction.", "echocardiography"),
        ("La coloscopie était normale.", "colonoscopy"),
        ("心电图示窦性心动过速。", "electrocardiography"),
        ("心電圖示竇性心動過速。", "electrocardiography"),
    ],
    ids=["en-echo", "fr-coloscopie", "zh-hans-ecg", "zh-hant-ecg"],
)
def test_tests_and_imaging_are_tests(lex: Lexicon, text: str, label: str) -> None:
    assert [(m.label, m.category) for m in lex.find_mentions(text)] == [(label, "test")]


@pytest.mark.parametrize(
    ("child", "ancestor"),
    [
        ("litkit:metformin", "litkit:biguanides"),
        ("litkit:metformin", "litkit:antidiabetics"),
        ("litkit:atorvastatin", "litkit:lipid-lowering-drugs"),
        ("litkit:cefepime", "D000900"),
        ("litkit:fluoxetine", "litkit:antidepressants"),
        ("litkit:nivolumab", "litkit:biologics"),
        ("litkit:haemodialysis", "litkit:dialysis"),
    ],
    ids=[
        "metformin-biguanide",
        "metformin-antidiabetic",
        "statin",
        "cephalosporin",
        "ssri",
        "checkpoint-inhibitor",
        "dialysis",
    ],
)
def test_general_parents(lex: Lexicon, child: str, ancestor: str) -> None:
    assert ancestor in lex.ancestors(child)


def test_treatment_labels_follow_the_guide_naming(lex: Lexicon) -> None:
    """Labels are what `litkit eval` compares: lowercase English INN, class plural, procedure."""
    bad = [
        c.label
        for c in lex.concepts()
        if c.category in {"treatment", "drug_class"} and c.label != c.label.lower()
    ]
    assert bad == []
    assert [
        c.id for c in lex.concepts() if c.category in {"treatment", "drug_class"} and not c.kind
    ] == []
    assert lex.get("litkit:haemodialysis").kind == "procedure"
    assert lex.get("litkit:metformin").kind == "drug"
    assert lex.get("litkit:statins").kind == "class"


_RULES = ("resources", "lexicon", "rules")


def _fixed_combinations() -> set[tuple[str, ...]]:
    text = resources.files("litkit").joinpath(*_RULES, "fixed_combinations.txt").read_text("utf-8")
    return {term_keys(line) for line in text.splitlines() if line and not line.startswith("#")}


def test_no_written_form_names_two_concepts(lex: Lexicon) -> None:
    """Two concepts for one span would give a sentence two treatments where the text has one,
    unless the span is a fixed combination, which the guide splits into its components."""
    combinations = _fixed_combinations()
    owners: dict[tuple[tuple[str, ...], bool], set[str]] = {}
    for concept in lex.concepts():
        for term in concept.terms:
            owners.setdefault((term_keys(term.text), term.case_sensitive), set()).add(concept.id)
    shared = {k: v for k, v in owners.items() if len(v) > 1 and k[0] not in combinations}
    assert shared == {}


def test_unknown_kind_is_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path, [{"id": "litkit:x", "category": "treatment", "label": "x", "kind": "pill"}]
    )
    assert any("unknown kind" in p for p in check_file(path))


# -- unlisted names by their form -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "concept", "label"),
    [
        ("She received lecanemab every two weeks.", "litkit:inn:lecanemab", "lecanemab"),
        ("Zanubrutinib was well tolerated.", "litkit:inn:zanubrutinib", "zanubrutinib"),
        ("Ertugliflozin lowered HbA1c.", "litkit:inn:ertugliflozin", "ertugliflozin"),
        ("Les patients ont reçu de l'ozénoxacine.", "litkit:inn:ozenoxacin", "ozenoxacin"),
        ("Le tébipénème oral a été comparé.", "litkit:inn:tebipenem", "tebipenem"),
        ("L'azilsartan a été bien toléré.", "litkit:inn:azilsartan", "azilsartan"),
        ("He underwent a pyeloplasty.", "litkit:procedure:pyeloplasty", "pyeloplasty"),
        ("Une néphrostomie a été posée.", "litkit:procedure:nephrostomy", "nephrostomy"),
        ("患者口服呋喹替尼。", "litkit:inn:呋喹替尼", "呋喹替尼"),
        ("给予头孢美唑抗感染。", "litkit:inn:头孢美唑", "头孢美唑"),
        ("接受依沃西单抗治疗。", "litkit:inn:依沃西单抗", "依沃西单抗"),
        ("口服澤布替尼。", "litkit:inn:澤布替尼", "澤布替尼"),
    ],
    ids=[
        "en-mab",
        "en-nib",
        "en-gliflozin",
        "fr-oxacine",
        "fr-peneme",
        "fr-sartan",
        "en-plasty",
        "fr-ostomie",
        "zh-hans-tini",
        "zh-hans-cef-prefix",
        "zh-hans-danknag",
        "zh-hant-tini",
    ],
)
def test_unlisted_names_by_stem(lex: Lexicon, text: str, concept: str, label: str) -> None:
    found = [(m.concept_id, m.label, m.category) for m in lex.find_mentions(text)]
    assert (concept, label, "treatment") in found


@pytest.mark.parametrize(
    "text",
    [
        "The intercept of the concept was accepted in April.",
        "The fungal ergosterol and a glycopeptide were measured.",
        "Cette dichotomie peut desservir le patient.",
        "The anatomy of the nib was described.",
        "使用他汀后血脂下降。",
        "联合用药组和单药组。",
    ],
    ids=["en-cept", "en-tide-terol", "fr-tomie-vir", "en-short", "zh-bare-ending", "zh-verbs"],
)
def test_ordinary_words_are_not_drugs(lex: Lexicon, text: str) -> None:
    assert [m for m in lex.find_mentions(text) if m.concept_id.startswith("litkit:inn:")] == []
    assert [m for m in lex.find_mentions(text) if ":procedure:" in m.concept_id] == []


def test_stems_leave_listed_drugs_to_the_lexicon(lex: Lexicon) -> None:
    assert ids(lex, "rosuvastatine") == ["litkit:rosuvastatin"]
    assert ids(lex, "瑞舒伐他汀") == ["litkit:rosuvastatin"]


def test_lexicon_from_concepts_alone_has_no_stem_rules() -> None:
    plain = Lexicon([])
    assert plain.find_mentions("lecanemab") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("加强护理疗效显著。", []),
        ("其中药物治疗有效。", []),
        ("理疗后疼痛减轻。", ["physiotherapy"]),
        ("中药治疗三个月。", ["traditional chinese medicine"]),
        ("病情变化疗效不佳。", []),
        ("術後化療六個週期。", ["chemotherapy"]),
    ],
    ids=["huli-liaoxiao", "qizhong-yaowu", "liliao", "zhongyao", "bianhua", "hualiao-hant"],
)
def test_chinese_terms_do_not_start_inside_common_words(
    lex: Lexicon, text: str, expected: list[str]
) -> None:
    assert [m.label for m in lex.find_mentions(text) if m.category == "treatment"] == expected


# -- abbreviations defined in a document ----------------------------------------------------------


def doc(*sentences: str) -> list[tuple[str, int]]:
    pairs, offset = [], 0
    for sentence in sentences:
        pairs.append((sentence, offset))
        offset += len(sentence) + 1
    return pairs


def test_abbreviation_defined_in_the_document_names_its_concept(lex: Lexicon) -> None:
    found = lex.document_mentions(
        doc("Children received plasma exchange (PE) or immunoglobulin.", "The PE group did better.")
    )
    assert [(m.label, m.surface) for m in found[1]] == [("plasma exchange", "PE")]
    assert found[1][0].start == len("Children received plasma exchange (PE) or immunoglobulin.") + 5


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (
            ("A trial of simplified cognitive behaviour therapy (SCBT).", "SCBT was preferred."),
            ["cognitive behavioural therapy"],
        ),
        (
            ("患者接受简化认知行为治疗（SCBT）。", "SCBT组满意度高。"),
            ["cognitive behavioural therapy"],
        ),
        (("Children received plasma exchange (XYZ).", "The XYZ group did better."), []),
        (("Children received plasma exchange.", "The PE group did better."), []),
    ],
    ids=["en-modifier-word", "zh-long-form", "letters-do-not-spell", "never-defined"],
)
def test_abbreviation_rules(lex: Lexicon, sentences: tuple[str, ...], expected: list[str]) -> None:
    assert [m.label for m in lex.document_mentions(doc(*sentences))[1]] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("在硬膜外麻醉下做剖腹探查手术。", ["epidural anaesthesia", "exploratory laparotomy"]),
        ("He had cholecystectomy surgery in 2019.", ["cholecystectomy"]),
        ("Une cholécystectomie, puis une chirurgie de reprise.", ["cholecystectomy", "surgery"]),
        ("手术后行化疗。", ["surgery", "chemotherapy"]),
    ],
    ids=["zh-head-after-procedure", "en-head-after-procedure", "fr-separate", "zh-alone"],
)
def test_generic_surgery_after_a_named_procedure_is_its_head(
    lex: Lexicon, text: str, expected: list[str]
) -> None:
    assert [m.label for m in lex.find_mentions(text) if m.category == "treatment"] == expected


# -- fixed combinations, classes that introduce a drug, procedures named as measures ---------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "She received six cycles of FOLFOX.",
            ["fluorouracil", "folinic acid", "oxaliplatin"],
        ),
        ("Adjuvant CAPOX was given.", ["capecitabine", "oxaliplatin"]),
        (
            "Hodgkin lymphoma treated with ABVD.",
            ["bleomycin", "dacarbazine", "doxorubicin", "vinblastine"],
        ),
        (
            "Remplissage par soluté de Ringer.",
            ["calcium chloride", "potassium chloride", "sodium chloride"],
        ),
        ("Le cotrimoxazole a été prescrit.", ["sulfamethoxazole", "trimethoprim"]),
        (
            "给予复方氯化钠注射液静滴。",
            ["calcium chloride", "potassium chloride", "sodium chloride"],
        ),
        ("複方磺胺甲噁唑預防感染。", ["sulfamethoxazole", "trimethoprim"]),
    ],
    ids=[
        "en-folfox",
        "en-capox",
        "en-abvd",
        "fr-ringer",
        "fr-cotrimoxazole",
        "zh-hans-ringer",
        "zh-hant-smz-tmp",
    ],
)
def test_fixed_combinations_are_split_into_components(
    lex: Lexicon, text: str, expected: list[str]
) -> None:
    assert sorted(treatment_names(lex.find_mentions(text))) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chemotherapy with gemcitabine was started.", ["gemcitabine"]),
        ("Antibiotic therapy (ceftriaxone) was given for 10 days.", ["ceftriaxone"]),
        ("Glutamine, an amino acid, was added to feeds.", ["glutamine"]),
        ("Une antibiothérapie par ceftriaxone a été débutée.", ["ceftriaxone"]),
        (
            "Les antipaludéens de synthèse (hydroxychloroquine) étaient inefficaces.",
            ["hydroxychloroquine"],
        ),
        ("采用化疗药物吉西他滨治疗。", ["gemcitabine"]),
    ],
    ids=["en-chemo-with", "en-class-paren", "en-apposition", "fr-par", "fr-paren", "zh-hans"],
)
def test_class_word_introducing_a_named_drug_is_not_listed(
    lex: Lexicon, text: str, expected: list[str]
) -> None:
    assert treatment_names(lex.find_mentions(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NSAIDs, then naproxen, were given.", ["nsaids", "naproxen"]),
        (
            "Beta-lactam antibiotics made up most of all antibiotics given.",
            ["beta-lactam antibiotics", "antibiotics"],
        ),
        (
            "Ceftriaxone was given; antibiotics were then stopped.",
            ["ceftriaxone", "antibiotics"],
        ),
        ("Les AINS, puis le naproxène, ont été prescrits.", ["nsaids", "naproxen"]),
        ("先用抗生素，后改用头孢曲松。", ["antibiotics", "ceftriaxone"]),
    ],
    ids=["en-list", "en-subclass", "en-other-clause", "fr-list", "zh-hans-list"],
)
def test_class_named_on_its_own_is_kept(lex: Lexicon, text: str, expected: list[str]) -> None:
    assert treatment_names(lex.find_mentions(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The duration of mechanical ventilation was shorter.",
        "Children requiring mechanical ventilation were enrolled.",
        "Dialysis time did not differ.",
        "La durée de ventilation mécanique était plus courte.",
        "Les patients nécessitant une ventilation mécanique ont été inclus.",
        "两组机械通气时间比较差异有统计学意义。",
        "需要机械通气的患者被纳入。",
        "兩組機械通氣時間相近。",
    ],
    ids=[
        "en-duration",
        "en-requiring",
        "en-after-time",
        "fr-duree",
        "fr-necessitant",
        "zh-hans-time",
        "zh-hans-need",
        "zh-hant-time",
    ],
)
def test_procedure_named_as_a_measure_is_not_a_treatment(lex: Lexicon, text: str) -> None:
    assert treatment_names(lex.find_mentions(text)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Patients were randomised to mechanical ventilation or oxygen therapy.",
            ["mechanical ventilation", "oxygen therapy"],
        ),
        ("La ventilation mécanique a été instaurée.", ["mechanical ventilation"]),
        ("给予机械通气治疗。", ["mechanical ventilation"]),
    ],
    ids=["en", "fr", "zh-hans"],
)
def test_procedure_given_is_still_a_treatment(lex: Lexicon, text: str, expected: list[str]) -> None:
    assert treatment_names(lex.find_mentions(text)) == expected


def test_measure_frames_also_apply_to_defined_abbreviations(lex: Lexicon) -> None:
    found = lex.document_mentions(
        [
            ("Children on invasive mechanical ventilation (MV) were randomised to PE.", 0),
            ("The duration of MV was shorter.", 80),
            ("MV was stopped after 10 days.", 120),
        ]
    )
    assert treatment_names(found[1]) == []
    assert treatment_names(found[2]) == ["mechanical ventilation"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Creatine kinase was raised.", []),
        ("La créatine phosphokinase était élevée.", []),
        ("肌酸激酶升高。", []),
        ("Serum potassium and ferritin were normal.", []),
        ("Resection margins were positive after surgical resection.", ["surgery"]),
        ("Les marges de résection étaient saines.", []),
        ("切缘阴性。", []),
    ],
    ids=[
        "en-ck",
        "fr-cpk",
        "zh-hans-ck",
        "en-electrolytes",
        "en-margins",
        "fr-margins",
        "zh-hans-margins",
    ],
)
def test_lab_analytes_and_margins_named_after_drugs_are_tests(
    lex: Lexicon, text: str, expected: list[str]
) -> None:
    assert treatment_names(lex.find_mentions(text)) == expected


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Scaling and root planing was done in all patients.", "scaling and root planing"),
        ("A composite restoration was placed.", "dental restoration"),
        ("Pit and fissure sealants were applied.", "fissure sealant"),
        ("Un détartrage-surfaçage a été réalisé.", "scaling and root planing"),
        ("Une gingivectomie a été réalisée.", "periodontal surgery"),
        ("行牙周翻瓣术。", "periodontal surgery"),
        ("儿童窝沟封闭预防龋齿。", "fissure sealant"),
        ("采用前臂皮瓣修复缺损。", "free flap reconstruction"),
        ("術中行靜脈吻合。", "vascular anastomosis"),
        ("Solution sucrée orale avant la ponction.", "sucrose"),
        ("Ig IV mensuelles", "immunoglobulin"),
        ("Hydroxy chloroquine 400 mg/j", "hydroxychloroquine"),
        ("给予葡萄糖注射液静滴。", "glucose"),
    ],
    ids=[
        "en-srp",
        "en-restoration",
        "en-sealant",
        "fr-srp",
        "fr-gingivectomy",
        "zh-hans-flap-surgery",
        "zh-hans-sealant",
        "zh-hans-free-flap",
        "zh-hant-anastomosis",
        "fr-sucrose",
        "fr-ivig",
        "fr-hcq-spaced",
        "zh-hans-glucose",
    ],
)
def test_procedure_and_drug_families(lex: Lexicon, text: str, label: str) -> None:
    assert label in treatment_names(lex.find_mentions(text))
