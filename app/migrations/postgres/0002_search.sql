-- Catalog search, indexed: a copy of the catalog's searchable text, rebuilt at start-up by the instance that finds
-- the catalog changed (app_meta key `catalog_hash`). See app/src/server/search_index.rs.

-- One row per theme or item and language.
CREATE TABLE search_doc (
    id         BIGINT  PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('theme', 'item')),
    ref_id     TEXT    NOT NULL,
    lang       TEXT    NOT NULL CHECK (lang IN ('zh', 'en')),
    name       TEXT    NOT NULL,
    summary    TEXT    NOT NULL,
    department TEXT    NOT NULL,
    historical BIGINT  NOT NULL,  -- 1: a historical theme, ranked below current ones
    position   BIGINT  NOT NULL,  -- catalog order, the last tie-break
    UNIQUE (kind, ref_id, lang)
);

-- The postings: every character and pair of neighbouring characters (lower-cased, whitespace dropped) of each field
-- of each document. Chinese words of one or two characters (税, 餐饮) are one lookup; pg_trgm would need three.
-- COLLATE "C": grams are compared for equality only, byte-wise.
CREATE TABLE search_gram (
    gram   TEXT    COLLATE "C" NOT NULL,
    doc    BIGINT  NOT NULL,  -- search_doc.id (no foreign key: the table is derived and rebuilt whole)
    field  BIGINT  NOT NULL,  -- 0 name, 1 summary, 2 department
    weight BIGINT  NOT NULL,  -- 3 for a name, 1 otherwise: the pre-rank of candidates
    PRIMARY KEY (gram, doc, field)
);
