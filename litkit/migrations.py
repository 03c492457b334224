"""The database schema: a SQL baseline plus ordered, named migrations (sqlite-utils `Migrations`).

Every applied migration is recorded in `_sqlite_migrations`, so an older database is brought up
to date on open and a database written by a newer litkit (one that names migrations this code
does not know) is refused instead of being silently misread. Never edit an applied migration:
add a new one.

Migrations are frozen: they change the schema with SQL and never call litkit's processing or
linking code, which changes from one version to the next (a migration that rebuilt the index
with `litkit.link` would write, years later, whatever that code writes then, into tables a
later migration has not created yet). A migration whose tables hold data derived from the
stored text (the concept index, claim profiles, translation keys) is listed in
`REBUILDS_DERIVED_DATA`; once every pending migration is applied and the schema is current,
`upgrade` rebuilds the derived data of stored documents with this version's code
(`litkit.link.reindex_all`), once, if one of them was pending.
"""

from __future__ import annotations

from importlib import resources

from sqlite_utils import Database, Migrations

from .errors import SchemaVersionError

MIGRATION_SET = "litkit"
migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_baseline")
def _baseline(db: Database) -> None:
    """Create the baseline tables; harmless on a database that already has them."""
    sql = resources.files("litkit").joinpath("resources/schema/baseline.sql").read_text("utf-8")
    db.executescript(sql)


def known_migrations() -> list[str]:
    """Names of the migrations this version of litkit knows, in order."""
    return [m.name for m in migrations._migrations]


def upgrade(db: Database) -> list[str]:
    """Apply pending migrations; refuse a database from a newer litkit. Returns what was applied."""
    applied = [m.name for m in migrations.applied(db)]
    unknown = [name for name in applied if name not in known_migrations()]
    if unknown:
        raise SchemaVersionError(
            f"database schema is newer than this litkit (unknown migrations: {', '.join(unknown)});"
            " upgrade litkit to open it"
        )
    pending = [m.name for m in migrations.pending(db)]
    if pending:
        migrations.apply(db)
        rebuild = REBUILDS_DERIVED_DATA.intersection(pending)
        if rebuild and db.execute("SELECT 1 FROM documents LIMIT 1").fetchone():
            from .link import reindex_all  # today's code, on today's schema

            reindex_all(db)
    return pending


REBUILDS_DERIVED_DATA = frozenset(
    {"0002_evidence_index", "0006_ingest_order", "0012_read_time_links"}
)
"""Migrations whose tables hold data derived from the stored text (index, keys, profiles)."""


EVIDENCE_INDEX_SQL = """
CREATE TABLE IF NOT EXISTS concepts (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,              -- English preferred label
    category TEXT NOT NULL,
    parents TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS segment_concepts (
    segment_id TEXT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    concept_id TEXT NOT NULL,
    via TEXT NOT NULL CHECK (via IN ('mention', 'ancestor')),
    idx INTEGER NOT NULL DEFAULT 0,   -- the sentence's position, for a stable order
    rank INTEGER NOT NULL DEFAULT 0,  -- precomputed relevance (litkit.link.evidence_rank)
    PRIMARY KEY (segment_id, concept_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_segment_concepts_concept
    ON segment_concepts(concept_id, via, doc_id, segment_id);
-- Top-k claims about one concept straight from the index, without sorting the hits.
CREATE INDEX IF NOT EXISTS idx_segment_concepts_rank
    ON segment_concepts(concept_id, rank DESC, doc_id, idx);
CREATE TABLE IF NOT EXISTS links (
    segment_id TEXT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    other_id TEXT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('same_concept', 'translation', 'agrees', 'conflicts')),
    score REAL NOT NULL,
    PRIMARY KEY (segment_id, kind, other_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_links_other ON links(other_id);
-- One row per claim with its document and treatments: what a reviewer browses (Datasette).
CREATE VIEW IF NOT EXISTS evidence AS
SELECT s.id, s.doc_id, d.source, d.title, d.year, d.design, s.lang, s.types,
    (SELECT json_group_array(label) FROM (
        SELECT DISTINCT m.label FROM mentions m
        WHERE m.segment_id = s.id AND m.category IN ('treatment', 'drug_class')
        ORDER BY m.label)) AS treatments,
    s.direction, s.negated, s.hedged, s.text
FROM segments s JOIN documents d ON d.id = s.doc_id WHERE s.is_claim = 1;
CREATE VIRTUAL TABLE IF NOT EXISTS segment_search USING fts5(
    segment_id UNINDEXED, words, chars, tokenize = 'unicode61 remove_diacritics 2'
);
"""


@migrations(name="0002_evidence_index")
def _evidence_index(db: Database) -> None:
    """Concept index, claim links and full-text search; stored documents are indexed by the
    rebuild that follows the migrations.

    The rebuild after the migrations (`upgrade`) uses the default lexicon for ancestors (the
    lexicon used at ingest is not recorded in older databases)."""
    _execute_script(db, EVIDENCE_INDEX_SQL + LINK_CANDIDATES_SQL)


def _execute_script(db: Database, sql: str) -> None:
    """Statement by statement: `executescript` would commit the surrounding transaction."""
    for statement in sql.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migrations(name="0003_mentions_by_document")
def _mentions_by_document(db: Database) -> None:
    """Index mentions by document: linking, export and deletes read a document's mentions, and
    without it each read scanned the whole table (ingest cost grew with the corpus: 58 ms per
    document at 1k documents, 175 ms at 3k; benchmarks/ingest_throughput.py)."""
    db.execute("CREATE INDEX IF NOT EXISTS idx_mentions_doc ON mentions(doc_id)")


@migrations(name="0004_lean_write_indexes")
def _lean_write_indexes(db: Database) -> None:
    """Drop indexes no query uses and narrow one, because every index is paid on every insert
    and ingest writes ~20 segments, ~60 concept rows and ~40 links per document.

    - `idx_mentions_concept`: nothing looks mentions up by concept (`segment_concepts` does);
    - `idx_segments_lang`: queries filter languages on the rank order (`+s.lang`), `stats`
      groups the table once;
    - `idx_segment_concepts_concept` (concept, via, doc, segment over every row) becomes two
      partial indexes by (concept, doc): mention rows (cross-document translation candidates)
      and claim rows (claim-link candidates, `litkit.link`); ranked reads use
      `idx_segment_concepts_rank`.
    """
    db.execute("DROP INDEX IF EXISTS idx_mentions_concept")
    db.execute("DROP INDEX IF EXISTS idx_segments_lang")
    db.execute("DROP INDEX IF EXISTS idx_segment_concepts_concept")
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_segment_concepts_mention_doc"
        " ON segment_concepts(concept_id, doc_id) WHERE via = 'mention'"
    )
    # Claims of a concept in document-id order, from any starting point: the linker takes the
    # claims that follow the new document's (hash) id, so links spread evenly instead of all
    # landing on the same best-ranked few (one claim had 11,599 links at 10k documents).
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_segment_concepts_claim_doc"
        " ON segment_concepts(concept_id, doc_id) WHERE rank >= 1000"
    )


LINK_CANDIDATES_SQL = """
-- One row per claim and treatment/test concept (ancestors included) with what linking needs of
-- the claim: the linker reads a slice of a concept's claims in document-id order in one read.
CREATE TABLE IF NOT EXISTS claim_concepts (
    concept_id TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    segment_id TEXT NOT NULL,
    types TEXT NOT NULL,              -- JSON, as in segments
    direction TEXT,
    linked TEXT NOT NULL,             -- JSON: the claim's treatment/test concepts and ancestors
    treatments TEXT NOT NULL,         -- JSON: the treatment/drug-class part of `linked`
    PRIMARY KEY (concept_id, doc_id, segment_id)
) WITHOUT ROWID;
-- MinHash band keys of each document's concepts (litkit.signature): translation candidates.
CREATE TABLE IF NOT EXISTS translation_keys (
    key INTEGER NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (key, doc_id)
) WITHOUT ROWID;
DROP INDEX IF EXISTS idx_segment_concepts_mention_doc;
DROP INDEX IF EXISTS idx_segment_concepts_claim_doc;
-- Links are stored both ways and always read by `segment_id` (the primary key); this index only
-- served cascading deletes, which litkit never does, at the cost of a second B-tree per link.
DROP INDEX IF EXISTS idx_links_other;
"""


@migrations(name="0005_link_candidates")
def _link_candidates(db: Database) -> None:
    """Tables the linker reads candidates from, replacing two partial indexes of
    `segment_concepts`: the writer was the bottleneck of a large ingest, and most of its time
    went to those reads (one or two statements per concept plus a join per candidate claim
    for claim links; up to 200 index rows per concept to count documents sharing concepts for
    translations; benchmarks/ingest_throughput.py). Stored documents get their rows from the
    stored concept index; their links are kept."""
    _execute_script(db, LINK_CANDIDATES_SQL)  # filled by 0006, which rebuilds them in order


CLAIM_CONCEPTS_SQL = """
CREATE TABLE IF NOT EXISTS claim_concepts (
    concept_id TEXT NOT NULL,
    seq INTEGER NOT NULL,             -- the claim's document's ingest order (documents.rowid)
    segment_id TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    types TEXT NOT NULL,              -- JSON, as in segments
    direction TEXT,
    linked TEXT NOT NULL,             -- JSON: the claim's treatment/test concepts and ancestors
    treatments TEXT NOT NULL,         -- JSON: the treatment/drug-class part of `linked`
    PRIMARY KEY (concept_id, seq, segment_id)
) WITHOUT ROWID
"""

TRANSLATION_KEYS_SQL = """
CREATE TABLE IF NOT EXISTS translation_keys (
    key INTEGER NOT NULL,
    seq INTEGER NOT NULL,             -- the document's ingest order (documents.rowid)
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (key, seq)
) WITHOUT ROWID
"""


def _columns(db: Database, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _index_in_ingest_order(db: Database) -> None:
    """Key the per-concept index and the link candidates by ingest order (idempotent).

    Keyed by document id (a hash), every document inserted one row per concept at a random
    place in each concept's range: at 10k documents the writer dirtied 25 pages of the rank
    index and 11 of `claim_concepts` per document, half of all it wrote
    (benchmarks/writer_cost.py). Keyed by `seq` (the document's rowid), a new document's rows
    go to the end of each concept's range, next to those of the documents just written."""
    if "seq" not in _columns(db, "segment_concepts"):
        db.execute("ALTER TABLE segment_concepts ADD COLUMN seq INTEGER NOT NULL DEFAULT 0")
        db.execute(
            "UPDATE segment_concepts SET seq ="
            " (SELECT rowid FROM documents WHERE documents.id = segment_concepts.doc_id)"
        )
    db.execute("DROP INDEX IF EXISTS idx_segment_concepts_rank")
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_segment_concepts_ranked"
        " ON segment_concepts(concept_id, rank DESC, seq, idx)"
    )
    if "seq" not in _columns(db, "claim_concepts"):
        db.execute("DROP TABLE IF EXISTS claim_concepts")
        db.execute(CLAIM_CONCEPTS_SQL)
    if "seq" not in _columns(db, "translation_keys"):
        db.execute("DROP TABLE IF EXISTS translation_keys")
        db.execute(TRANSLATION_KEYS_SQL)


@migrations(name="0006_ingest_order")
def _ingest_order(db: Database) -> None:
    """The concept index and the link candidates in ingest order (`_index_in_ingest_order`);
    concept queries break rank ties by ingest order, a new claim is linked to the claims
    stored last about its treatments, and translation candidates are the documents stored
    last under each key."""
    _index_in_ingest_order(db)


ROLES_OUTCOMES_SQL = """
ALTER TABLE segments ADD COLUMN role TEXT NOT NULL DEFAULT 'body';
ALTER TABLE segments ADD COLUMN outcomes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE segments ADD COLUMN negated_spans TEXT NOT NULL DEFAULT '[]';
ALTER TABLE segments ADD COLUMN hedged_spans TEXT NOT NULL DEFAULT '[]';
CREATE TABLE IF NOT EXISTS outcome_pairs (
    segment_id TEXT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    treatment TEXT NOT NULL,          -- a concept id, or '' for no named intervention
    direction TEXT NOT NULL CHECK (direction IN
        ('improved', 'not_improved', 'worsened', 'no_difference', 'uncertain')),
    PRIMARY KEY (segment_id, treatment)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_outcome_pairs_treatment
    ON outcome_pairs(treatment, direction, doc_id);
"""


@migrations(name="0007_roles_outcome_pairs")
def _roles_outcome_pairs(db: Database) -> None:
    """Each sentence's role (title, heading, body, reference, ...), its outcome pairs (one
    row per claim and intervention, `outcome_pairs`), and its negated and hedged spans.
    Frozen SQL: older sentences read as body text with no pairs until `litkit reindex`."""
    _execute_script(db, ROLES_OUTCOMES_SQL)


STUDY_FACTS_SQL = """
ALTER TABLE documents ADD COLUMN patients INTEGER;
CREATE INDEX IF NOT EXISTS idx_documents_design ON documents(design, year);
CREATE INDEX IF NOT EXISTS idx_documents_year ON documents(year)
"""


@migrations(name="0008_study_facts")
def _study_facts(db: Database) -> None:
    """The number of patients a study reports (`documents.patients`), and indexes for
    `--design` / `--year`. Designs stored before keep their coarse values (`trial`, `cohort`,
    `review`: litkit.vocab.DESIGN_GROUPS); older documents have no patient count until they
    are ingested again."""
    _execute_script(db, STUDY_FACTS_SQL)


DOCUMENT_SOURCES_SQL = """
CREATE TABLE IF NOT EXISTS document_sources (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    PRIMARY KEY (doc_id, source)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_document_sources_source ON document_sources(source, doc_id);
INSERT OR IGNORE INTO document_sources(doc_id, source) SELECT id, source FROM documents;
"""


@migrations(name="0009_document_sources")
def _document_sources(db: Database) -> None:
    """Every source a document came from: the same article read first from stdin (`-`) and
    later from its file keeps one document, found under both (`summarize --doc PATH`).
    `documents.source` stays the first source; existing documents are backfilled with it."""
    _execute_script(db, DOCUMENT_SOURCES_SQL)


CURATION_SQL = """
CREATE TABLE IF NOT EXISTS curation_documents (
    doc_id TEXT PRIMARY KEY,          -- no foreign key: a decision outlives the computed rows
    excluded INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0, 1)),
    design TEXT,                      -- NULL: not curated, litkit's value stands
    year INTEGER,
    patients INTEGER,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS curation_segments (
    segment_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    types TEXT,                       -- JSON list of claim types, NULL: not curated
    outcomes TEXT,                    -- JSON [{treatment, direction}], NULL: not curated
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_curation_segments_doc ON curation_segments(doc_id);
-- The claims a reviewer browses (Datasette), with their decisions applied: excluded documents
-- left out, curated types, directions (from curated outcome pairs), designs and years.
DROP VIEW IF EXISTS evidence;
CREATE VIEW evidence AS
SELECT s.id, s.doc_id, d.source, d.title, coalesce(cd.year, d.year) AS year,
    coalesce(cd.design, d.design) AS design, s.lang, coalesce(cs.types, s.types) AS types,
    (SELECT json_group_array(label) FROM (
        SELECT DISTINCT m.label FROM mentions m
        WHERE m.segment_id = s.id AND m.category IN ('treatment', 'drug_class')
        ORDER BY m.label)) AS treatments,
    CASE WHEN cs.outcomes IS NULL THEN s.direction ELSE (
        SELECT CASE count(DISTINCT json_extract(value, '$.direction')) WHEN 0 THEN NULL
            WHEN 1 THEN max(json_extract(value, '$.direction')) ELSE 'uncertain' END
        FROM json_each(cs.outcomes)) END AS direction,
    s.negated, s.hedged, s.text
FROM segments s JOIN documents d ON d.id = s.doc_id
LEFT JOIN curation_documents cd ON cd.doc_id = s.doc_id
LEFT JOIN curation_segments cs ON cs.segment_id = s.id
WHERE coalesce(cd.excluded, 0) = 0 AND json_array_length(coalesce(cs.types, s.types)) > 0;
-- One row per study with claims (Datasette): the review's evidence table, without the
-- document's text and offset maps.
CREATE VIEW IF NOT EXISTS studies AS
SELECT e.doc_id, d.title, d.authors, d.journal, e.year, e.design, cd.patients,
    json_group_array(DISTINCT e.lang) AS languages, count(*) AS claims,
    (SELECT json_group_array(DISTINCT t.value) FROM evidence e2, json_each(e2.treatments) t
        WHERE e2.doc_id = e.doc_id) AS treatments,
    sum(e.direction = 'improved') AS improved, sum(e.direction = 'not_improved') AS not_improved,
    sum(e.direction = 'worsened') AS worsened,
    sum(e.direction = 'no_difference') AS no_difference,
    d.doi, d.pmid, d.source
FROM evidence e JOIN documents d ON d.id = e.doc_id
LEFT JOIN curation_documents cd ON cd.doc_id = e.doc_id
GROUP BY e.doc_id;
"""


@migrations(name="0010_curation")
def _curation(db: Database) -> None:
    """A review team's decisions (exclusions, designs, years, patients, claim types, outcome
    pairs), stored apart from what litkit computes and keyed by content ids, so re-ingesting
    or reindexing never loses them and every read command applies them (`litkit.curation`)."""
    _execute_script(db, CURATION_SQL)


CITATIONS_SQL = """
ALTER TABLE documents ADD COLUMN issue TEXT;
ALTER TABLE documents ADD COLUMN pages TEXT;
ALTER TABLE documents ADD COLUMN pmcid TEXT;
ALTER TABLE documents ADD COLUMN record_id TEXT;
"""


@migrations(name="0011_citations")
def _citations(db: Database) -> None:
    """The citation fields `DocumentMeta` gained (issue, pages, PMCID, the reference manager's
    record id); documents stored before read them as empty until they are ingested again."""
    _execute_script(db, CITATIONS_SQL)


READ_TIME_LINKS_SQL = """
CREATE TABLE IF NOT EXISTS claim_profiles (
    id INTEGER PRIMARY KEY,           -- hash of the other columns (litkit.link.claim_profile)
    linked TEXT NOT NULL,             -- JSON: treatment/test concepts and their ancestors
    treatments TEXT NOT NULL,         -- JSON: the treatment/drug-class part of `linked`
    stance TEXT,                      -- JSON: confident outcome pairs (litkit.link.stance_of)
    claims INTEGER NOT NULL DEFAULT 0 -- claims with this profile, in every document
);
CREATE TABLE IF NOT EXISTS profile_concepts (
    concept_id TEXT NOT NULL,
    profile_id INTEGER NOT NULL REFERENCES claim_profiles(id),
    PRIMARY KEY (concept_id, profile_id)
) WITHOUT ROWID;
-- Each language part's concepts in the order it first mentions them (litkit.link.concept_orders):
-- a translation candidate says the same things in the same order.
CREATE TABLE IF NOT EXISTS translation_orders (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    orders TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_segments_profile ON segments(profile, id)
    WHERE profile IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_documents_rules_version ON documents(rules_version);
DROP TABLE IF EXISTS claim_concepts;
DELETE FROM links WHERE kind <> 'translation';
"""


def read_time_links_schema(db: Database) -> None:
    """The tables of read-time cross-references and the rules-version column (idempotent:
    migration 0002 rebuilds an old database's index with today's code, before 0012 runs)."""
    if "profile" not in _columns(db, "segments"):
        db.execute("ALTER TABLE segments ADD COLUMN profile INTEGER")
    if "rules_version" not in _columns(db, "documents"):
        db.execute("ALTER TABLE documents ADD COLUMN rules_version TEXT")
    _execute_script(db, READ_TIME_LINKS_SQL)


@migrations(name="0012_read_time_links")
def _read_time_links(db: Database) -> None:
    """`same_concept`, `agrees` and `conflicts` answered at read time from claim profiles
    (`litkit.xref`) instead of capped pairwise rows written at ingest, which depended on the
    order documents came in (1,342 of 7,921 exported rows differed between one ingest and two
    batches) and were 86 of a document's rows. Stored claims get their profiles from the rebuild
    that follows the migrations (`upgrade`); `links` keeps only translations.
    `documents.rules_version` (NULL before this migration) records the lexicon and rules a
    document was processed with (`litkit.version`)."""
    read_time_links_schema(db)


# The rank of `litkit.link.sentence_rank` as it was when this migration was written (frozen:
# a later change of the ranks reaches stored sentences through `litkit reindex`).
_TYPE_RANK_0013 = (("outcome", 4), ("treatment", 2), ("diagnosis", 1))
_DESIGN_RANK_0013 = (
    ("guideline", 9), ("meta_analysis", 9), ("systematic_review", 8), ("randomised_trial", 8),
    ("trial", 7), ("non_randomised_trial", 6), ("prospective_cohort", 6), ("cohort", 5),
    ("retrospective_cohort", 5), ("case_control", 5), ("review", 4), ("narrative_review", 4),
    ("case_series", 3), ("case_report", 2), ("drug_information", 1), ("patient_information", 1),
)  # fmt: skip
SEGMENT_RANK_SQL = (
    "ALTER TABLE segments ADD COLUMN rank INTEGER NOT NULL DEFAULT 0;\n"
    "UPDATE segments SET rank = 10 * ("
    + " + ".join(
        f"CASE WHEN types LIKE '%\"{name}\"%' THEN {rank} ELSE 0 END"
        for name, rank in _TYPE_RANK_0013
    )
    + ") + coalesce((SELECT CASE d.design "
    + " ".join(f"WHEN '{name}' THEN {rank}" for name, rank in _DESIGN_RANK_0013)
    + " ELSE 0 END FROM documents d WHERE d.id = segments.doc_id), 0);\n"
    "CREATE INDEX IF NOT EXISTS idx_segments_rank ON segments(rank DESC, doc_id, idx);\n"
    "DROP INDEX IF EXISTS idx_outcome_pairs_treatment;\n"
    "CREATE INDEX IF NOT EXISTS idx_outcome_pairs_direction"
    " ON outcome_pairs(direction, treatment);\n"
    "ALTER TABLE documents ADD COLUMN profile_counts TEXT;\n"
    "UPDATE documents SET profile_counts = (SELECT json_group_array(json_array(profile, n))"
    " FROM (SELECT profile, count(*) AS n FROM segments WHERE segments.doc_id = documents.id"
    " AND profile IS NOT NULL GROUP BY profile ORDER BY profile));\n"
)


@migrations(name="0013_segment_rank")
def _segment_rank(db: Database) -> None:
    """Each sentence's rank as evidence (`segments.rank`: its claim types, then its study's
    design; `litkit.link.sentence_rank`), stored at write time and indexed in rank order, so
    a query with filters only reads its best sentences from `idx_segments_rank` and stops
    after `--limit` of them: ranking every sentence took 1.6 s at 1M claims for
    `--direction` alone (benchmarks/query_latency.py). Stored sentences are ranked by SQL here.
    Outcome pairs are indexed by direction first (`idx_outcome_pairs_direction`, replacing the
    index by treatment): every read of them names a direction, not always a treatment, and a
    query counts a direction's pairs before choosing whether to walk the rank order.
    `documents.profile_counts` ([[profile, claims], ...]) is what read-time links subtract for
    a claim's own document: read from the rows of 20 documents instead of their 1,000
    sentences, it was a quarter of a concept query's time at 1M claims."""
    _execute_script(db, SEGMENT_RANK_SQL)


MENTIONS_BY_SENTENCE_SQL = """
CREATE TABLE mentions_by_sentence (
    id TEXT NOT NULL,                 -- the sentence's id and the mention's ordinal
    segment_id TEXT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    concept_id TEXT NOT NULL,
    label TEXT NOT NULL,
    category TEXT NOT NULL,
    surface TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (segment_id, id)
) WITHOUT ROWID;
INSERT INTO mentions_by_sentence
    (id, segment_id, doc_id, concept_id, label, category, surface, start, "end")
    SELECT id, segment_id, doc_id, concept_id, label, category, surface, start, "end"
    FROM mentions;
DROP TABLE mentions;
PRAGMA legacy_alter_table = ON;
ALTER TABLE mentions_by_sentence RENAME TO mentions;
PRAGMA legacy_alter_table = OFF
"""


@migrations(name="0014_mentions_by_sentence")
def _mentions_by_sentence(db: Database) -> None:
    """Mentions stored in one B-tree keyed by sentence (`PRIMARY KEY (segment_id, id)`,
    without rowid) instead of four (the rowid table, the `id` key, and the indexes by sentence
    and by document): every read takes a sentence's mentions or a document's (a range of
    sentence ids: they start with the document's id), and every stored mention paid for four
    insertions (benchmarks/writer_cost.py). The rows are copied; the views that read mentions
    (`evidence`) are kept as they are (`legacy_alter_table`: the rename leaves their SQL, which
    names `mentions`, untouched)."""
    _execute_script(db, MENTIONS_BY_SENTENCE_SQL)
