-- Schema 1 -> 2: findings name a suspect; claims say when their benchmark decided their metric and whether their subject is a system, metrics name their complement, papers carry
-- the precision of their date and every paper gets its source row (the next merge pass
-- computes the blocking keys of papers without them). The new tables are created here first so that they can be filled.
ALTER TABLE papers ADD COLUMN IF NOT EXISTS published_precision VARCHAR;
UPDATE papers SET published_precision = coalesce(json_extract_string(metadata, '$.date_precision'), 'day')
WHERE published IS NOT NULL;
CREATE TABLE IF NOT EXISTS paper_sources (
    source_key VARCHAR PRIMARY KEY, paper_id VARCHAR NOT NULL, is_primary BOOLEAN NOT NULL, priority INTEGER NOT NULL,
    matched_by VARCHAR, similarity DOUBLE, source_format VARCHAR NOT NULL, venue VARCHAR, year INTEGER,
    arxiv_id VARCHAR, version INTEGER, published DATE, published_precision VARCHAR, title VARCHAR NOT NULL,
    abstract_sha VARCHAR NOT NULL, ingested_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
INSERT INTO paper_sources (source_key, paper_id, is_primary, priority, source_format, venue, year, arxiv_id,
                           version, published, published_precision, title, abstract_sha)
SELECT CASE WHEN venue IS NULL THEN paper_id ELSE venue || ':' || paper_id END, paper_id, true,
       CASE WHEN arxiv_id IS NULL THEN 1 WHEN venue IS NULL THEN 3 ELSE 2 END, source_format, venue, year(published),
       arxiv_id, version, published, published_precision, title, abstract_sha
FROM papers;
CREATE TABLE IF NOT EXISTS paper_keys (paper_id VARCHAR NOT NULL, key VARCHAR NOT NULL);
ALTER TABLE claims ADD COLUMN IF NOT EXISTS metric_inferred VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS complement_of VARCHAR;
ALTER TABLE claims ADD COLUMN IF NOT EXISTS subject_kind VARCHAR;
ALTER TABLE findings ADD COLUMN IF NOT EXISTS suspect VARCHAR;
