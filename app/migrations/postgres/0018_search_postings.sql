-- Catalog search (issue #9): one posting per gram and document, its weight summed over the document's fields (name
-- 3, summary and department 1 each), in place of one per field (0002's search_gram). The ranked index lets a
-- one-gram query — most Chinese words of one or two characters — read its best candidates in order instead of
-- grouping and sorting every document that holds the gram. See app/src/server/search_index.rs.
DROP TABLE search_gram;

CREATE TABLE search_posting (
    gram   TEXT    COLLATE "C" NOT NULL,
    doc    BIGINT  NOT NULL,  -- search_doc.id (no foreign key: the table is derived and rebuilt whole)
    weight BIGINT  NOT NULL,  -- the pre-rank: 3 for the name, 1 for the summary, 1 for the department, summed
    PRIMARY KEY (gram, doc)
);

CREATE INDEX search_posting_rank ON search_posting (gram, weight DESC, doc);

-- The postings are gone: forget which catalog they held, so the next start-up rebuilds them.
DELETE FROM app_meta WHERE key = 'catalog_hash';
