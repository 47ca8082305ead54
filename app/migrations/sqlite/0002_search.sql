-- Catalog search, indexed: a copy of the catalog's searchable text, rebuilt at start-up by the instance that finds
-- the catalog changed (app_meta key `catalog_hash`). See app/src/server/search_index.rs.

-- One row per theme or item and language.
CREATE TABLE search_doc (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('theme', 'item')),
    ref_id     TEXT    NOT NULL,
    lang       TEXT    NOT NULL CHECK (lang IN ('zh', 'en')),
    name       TEXT    NOT NULL,
    summary    TEXT    NOT NULL,
    department TEXT    NOT NULL,
    historical INTEGER NOT NULL,  -- 1: a historical theme, ranked below current ones
    position   INTEGER NOT NULL,  -- catalog order, the last tie-break
    UNIQUE (kind, ref_id, lang)
);

-- The postings: every character and pair of neighbouring characters (lower-cased, whitespace dropped) of each field
-- of each document. Chinese words of one or two characters (税, 餐饮) are one lookup; FTS5 trigrams would need three.
CREATE TABLE search_gram (
    gram   TEXT    NOT NULL,
    doc    INTEGER NOT NULL,  -- search_doc.id (no foreign key: the table is derived and rebuilt whole)
    field  INTEGER NOT NULL,  -- 0 name, 1 summary, 2 department
    weight INTEGER NOT NULL,  -- 3 for a name, 1 otherwise: the pre-rank of candidates
    PRIMARY KEY (gram, doc, field)
) WITHOUT ROWID;
