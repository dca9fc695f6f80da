-- benchkb knowledge base: the one definition of its tables and views.
-- Applied by benchkb.store on open; statements are idempotent. Bump SCHEMA_VERSION (store.py) when a table changes
-- shape or is added; an older knowledge base is upgraded on its next writable open (store.MIGRATIONS).

CREATE TABLE IF NOT EXISTS schema_version (
    version     INTEGER NOT NULL,
    applied_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS papers (
    paper_id      VARCHAR PRIMARY KEY,  -- arXiv id without version, else the record id, else t:<title hash>
    arxiv_id      VARCHAR,
    version       INTEGER,
    title         VARCHAR NOT NULL,
    abstract      VARCHAR NOT NULL,
    abstract_sha  VARCHAR NOT NULL,     -- sha1 of title + abstract: a changed text replaces the paper and its claims
    published     DATE,
    authors       VARCHAR[],
    author_count  INTEGER,
    organization  VARCHAR,
    upvotes       INTEGER,
    categories    VARCHAR[],
    venue         VARCHAR,
    source_format VARCHAR NOT NULL,
    metadata      JSON,
    extracted     BOOLEAN NOT NULL DEFAULT false,  -- claims have been extracted for the current text
    ingested_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- One row per number mention. abstract[start:end] (0-based, end exclusive) is exactly text.
CREATE TABLE IF NOT EXISTS claims (
    claim_id       VARCHAR NOT NULL,    -- <paper_id>#<start>-<end>
    paper_id       VARCHAR NOT NULL,
    text           VARCHAR NOT NULL,
    "start"        INTEGER NOT NULL,
    "end"          INTEGER NOT NULL,
    value          DOUBLE NOT NULL,
    value_max      DOUBLE,
    uncertainty    DOUBLE,
    unit           VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,    -- score | ratio | change | setup
    metric         VARCHAR,
    benchmark      VARCHAR,
    subject        VARCHAR,
    baseline       VARCHAR,
    direction      VARCHAR,             -- increase | decrease (ratio and change)
    qualifier      VARCHAR,             -- up to, more than, about, average, ...
    conditions     VARCHAR[] NOT NULL,
    rule           VARCHAR NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL,
    benchmark_id   VARCHAR,             -- catalog ids, null when the surface does not resolve
    metric_id      VARCHAR,
    subject_id     VARCHAR,
    baseline_id    VARCHAR,
    hardware_id    VARCHAR,
    precision      VARCHAR
);
CREATE INDEX IF NOT EXISTS claims_paper ON claims (paper_id);

-- The catalog (extractors/catalog/*.jsonl), copied in so that SQL can join against it.
CREATE TABLE IF NOT EXISTS benchmarks (
    benchmark_id VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    family       VARCHAR NOT NULL,
    area         VARCHAR,
    aliases      VARCHAR[],
    metrics      VARCHAR[],
    url          VARCHAR
);

CREATE TABLE IF NOT EXISTS metrics (
    metric_id        VARCHAR PRIMARY KEY,
    name             VARCHAR NOT NULL,
    aliases          VARCHAR[],
    unit             VARCHAR,
    higher_is_better BOOLEAN,
    min_value        DOUBLE,
    max_value        DOUBLE
);

CREATE TABLE IF NOT EXISTS models (
    model_id     VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    aliases      VARCHAR[],
    organization VARCHAR,
    parameters   DOUBLE
);

CREATE TABLE IF NOT EXISTS hardware (
    hardware_id VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    vendor      VARCHAR,
    aliases     VARCHAR[]
);

CREATE TABLE IF NOT EXISTS hardware_peaks (
    hardware_id VARCHAR NOT NULL,
    precision   VARCHAR NOT NULL,       -- FP64, FP32, TF32, BF16, FP16, FP8, FP4, INT8
    tflops      DOUBLE NOT NULL,        -- dense peak, TFLOP/s (TOPS for integer precisions)
    source      VARCHAR NOT NULL        -- the vendor datasheet
);

CREATE SEQUENCE IF NOT EXISTS ingest_run_ids;

CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id      INTEGER PRIMARY KEY DEFAULT nextval('ingest_run_ids'),
    file        VARCHAR NOT NULL,
    format      VARCHAR,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    read        INTEGER NOT NULL DEFAULT 0,  -- records read, good or bad
    stored      INTEGER NOT NULL DEFAULT 0,  -- papers inserted or replaced
    unchanged   INTEGER NOT NULL DEFAULT 0,  -- papers already stored with the same text
    rejected    INTEGER NOT NULL DEFAULT 0,
    claims      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS rejects (
    run_id INTEGER NOT NULL,
    file   VARCHAR NOT NULL,
    record INTEGER NOT NULL,
    reason VARCHAR NOT NULL,
    raw    VARCHAR
);

CREATE TABLE IF NOT EXISTS findings (
    finding_id VARCHAR NOT NULL,
    rule       VARCHAR NOT NULL,
    severity   VARCHAR NOT NULL,   -- info | warning | error
    message    VARCHAR NOT NULL,
    claim_ids  VARCHAR[] NOT NULL,
    paper_ids  VARCHAR[] NOT NULL,
    evidence   JSON,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- A person's verdicts on mentions (benchkb serve): right, wrong, corrected, or a number the extractor missed.
-- Kept beside the extracted claims, never written over them; the latest review of a span counts, and a review of
-- an abstract that has changed since (abstract_sha) is stale. `benchkb export reviews` writes them as gold.
CREATE SEQUENCE IF NOT EXISTS review_ids;

CREATE TABLE IF NOT EXISTS reviews (
    review_id    INTEGER PRIMARY KEY DEFAULT nextval('review_ids'),
    claim_id     VARCHAR NOT NULL,    -- <paper_id>#<start>-<end>: the claim reviewed, or where the missed number is
    paper_id     VARCHAR NOT NULL,
    "start"      INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    text         VARCHAR NOT NULL,    -- abstract[start:end] when reviewed
    verdict      VARCHAR NOT NULL,    -- right | wrong | corrected | missed
    corrections  JSON NOT NULL,       -- the corrected fields only, e.g. {"subject": "GPT-4o", "baseline": null}
    abstract_sha VARCHAR NOT NULL,    -- the paper's text when reviewed
    reviewed_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE INDEX IF NOT EXISTS reviews_paper ON reviews (paper_id);

-- Public SQL surface ------------------------------------------------------------------------------------------

-- One row per result claim (kinds score, ratio, change) with its paper and catalog names.
CREATE OR REPLACE VIEW results AS
SELECT
    c.claim_id,
    c.paper_id,
    p.title,
    p.published,
    coalesce(b.name, c.benchmark)        AS benchmark,
    c.benchmark                          AS benchmark_surface,
    c.benchmark_id,
    coalesce(b.family, c.benchmark)      AS benchmark_family,
    coalesce(m.name, c.metric)           AS metric,
    c.metric                             AS metric_surface,
    c.value,
    c.value_max,
    c.unit,
    c.kind,
    coalesce(sm.name, c.subject)         AS subject,
    c.subject                            AS subject_surface,
    coalesce(bm.name, c.baseline)        AS baseline,
    c.baseline                           AS baseline_surface,
    c.direction,
    c.qualifier,
    c.qualifier IN ('up to', 'more than', 'over', 'at least', 'exceeding') AS hedged,  -- = AuditSettings.hedge_qualifiers
    c.conditions,
    c.hardware_id,
    c.precision,
    c.text,
    c."start",
    c."end",
    substr(p.abstract, c.sentence_start + 1, c.sentence_end - c.sentence_start) AS sentence
FROM claims c
JOIN papers p USING (paper_id)
LEFT JOIN benchmarks b ON b.benchmark_id = c.benchmark_id
LEFT JOIN metrics m ON m.metric_id = c.metric_id
LEFT JOIN models sm ON sm.model_id = c.subject_id
LEFT JOIN models bm ON bm.model_id = c.baseline_id
WHERE c.kind IN ('score', 'ratio', 'change');

-- Best claimed absolute value per benchmark, metric and subject (lower is better for metrics the catalog says so).
CREATE OR REPLACE VIEW leaderboard AS
WITH scored AS (
    SELECT r.*, coalesce(m.higher_is_better, true) AS higher_is_better
    FROM results r
    LEFT JOIN metrics m ON m.name = r.metric
    WHERE r.kind = 'score' AND r.benchmark IS NOT NULL AND r.subject IS NOT NULL
),
ranked AS (
    SELECT *,
           row_number() OVER (
               PARTITION BY benchmark, metric, unit, subject
               ORDER BY CASE WHEN higher_is_better THEN -value ELSE value END, published DESC NULLS LAST, claim_id
           ) AS rank_in_group,
           count(*) OVER (PARTITION BY benchmark, metric, unit, subject) AS claims
    FROM scored
)
SELECT benchmark, benchmark_family, metric, unit, subject, value, higher_is_better,
       qualifier, hedged, claims, paper_id, title, published, claim_id, text, sentence
FROM ranked
WHERE rank_in_group = 1;

-- Multiplicative factors ("1.3x over cuDNN"): who, against what, in which direction and setting.
CREATE OR REPLACE VIEW speedups AS
SELECT claim_id, paper_id, title, published, subject, baseline, metric, value, value_max, direction,
       qualifier, hedged, conditions, hardware_id, precision, benchmark, text, sentence
FROM results
WHERE kind = 'ratio';
