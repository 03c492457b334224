-- litkit schema baseline (migration 0001_baseline). Never edit once released:
-- later changes are new named migrations in litkit/migrations.py.
-- JSON columns hold arrays/objects as text (sqlite-utils convention); booleans are 0/1.

CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,              -- content hash of the clean text
    source TEXT NOT NULL,             -- path, URL or pmid: as given at ingest
    title TEXT,
    doi TEXT,
    pmid TEXT,
    journal TEXT,
    year INTEGER,
    volume TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    affiliations TEXT NOT NULL DEFAULT '[]',
    keywords TEXT NOT NULL DEFAULT '[]',
    publication_types TEXT NOT NULL DEFAULT '[]',
    declared_language TEXT,
    url TEXT,
    final_url TEXT,
    media_type TEXT NOT NULL,
    encoding TEXT,
    lang TEXT NOT NULL,
    langs TEXT NOT NULL DEFAULT '[]',
    design TEXT,
    n_segments INTEGER NOT NULL,
    text TEXT NOT NULL,               -- the clean text all offsets point into
    original TEXT NOT NULL,           -- the text as read, before cleaning
    offset_map TEXT NOT NULL,         -- [[clean_offset, original_offset], ...]
    pipeline_version TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_documents_source ON documents(source);

CREATE TABLE IF NOT EXISTS segments (
    id TEXT PRIMARY KEY,              -- hash of doc id and offsets
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,             -- position in the document
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    lang TEXT NOT NULL,
    types TEXT NOT NULL DEFAULT '[]',
    is_claim INTEGER NOT NULL DEFAULT 0 CHECK (is_claim IN (0, 1)),
    negated INTEGER NOT NULL DEFAULT 0 CHECK (negated IN (0, 1)),
    hedged INTEGER NOT NULL DEFAULT 0 CHECK (hedged IN (0, 1)),
    direction TEXT,
    dose TEXT,
    route TEXT,
    duration TEXT,
    cues TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS idx_segments_doc ON segments(doc_id, idx);
CREATE INDEX IF NOT EXISTS idx_segments_lang ON segments(lang);

CREATE TABLE IF NOT EXISTS mentions (
    id TEXT PRIMARY KEY,
    segment_id TEXT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    concept_id TEXT NOT NULL,
    label TEXT NOT NULL,
    category TEXT NOT NULL,
    surface TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_mentions_segment ON mentions(segment_id);
CREATE INDEX IF NOT EXISTS idx_mentions_concept ON mentions(concept_id);

-- A claim is a segment that carries at least one type.
CREATE VIEW IF NOT EXISTS claims AS SELECT * FROM segments WHERE is_claim = 1;
