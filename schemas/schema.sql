-- benchkb knowledge base: the one definition of its tables and views.
-- Applied by benchkb.store on open; statements are idempotent. Bump SCHEMA_VERSION (store.py) when a table changes
-- shape or is added, with schemas/migrate-<version>.sql: an older knowledge base runs it on its next writable open,
-- before this file (whose views need the new columns; new tables are created here).

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
    published     DATE,                -- the earliest date of its sources; a year-only date is stored as 1 January
    published_precision VARCHAR,       -- day | month | year: how much of published is known (show a year as a year)
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

-- Every record read is a source of one paper: an arXiv listing and a venue's record of the same paper are one paper
-- (benchkb.paper_identity says when). The paper keeps the text of its primary source; claims are stored once.
CREATE TABLE IF NOT EXISTS paper_sources (
    source_key    VARCHAR PRIMARY KEY,  -- the record's paper id, prefixed by the venue for a venue's record (colm:...)
    paper_id      VARCHAR NOT NULL,     -- the paper it is a source of
    is_primary    BOOLEAN NOT NULL,     -- the paper's title and abstract are this record's
    priority      INTEGER NOT NULL,     -- whose text a paper keeps: arXiv listing 3, venue record with arXiv id 2, other 1
    matched_by    VARCHAR,              -- how a secondary source was matched: arxiv id | title | text
    similarity    DOUBLE,               -- of the two abstracts (word-trigram Jaccard), for title and text matches
    source_format VARCHAR NOT NULL,
    venue         VARCHAR,
    year          INTEGER,
    arxiv_id      VARCHAR,
    version       INTEGER,
    published     DATE,
    published_precision VARCHAR,        -- day | month | year
    title         VARCHAR NOT NULL,
    abstract_sha  VARCHAR NOT NULL,     -- sha1 of this record's title + abstract: re-reading it unchanged stores nothing
    ingested_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE INDEX IF NOT EXISTS paper_sources_paper ON paper_sources (paper_id);

-- Blocking keys of each paper's text (normalised title, first and last eight words of the abstract): papers that
-- share one are compared by benchkb.paper_identity.
CREATE TABLE IF NOT EXISTS paper_keys (
    paper_id VARCHAR NOT NULL,
    key      VARCHAR NOT NULL
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
    metric_inferred VARCHAR,            -- benchmark alias | benchmark default: the benchmark decided the metric
    subject_id     VARCHAR,
    subject_kind   VARCHAR,             -- model | name | word | generic | list | benchmark | hardware (is it a system?)
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
    max_value        DOUBLE,
    complement_of    VARCHAR            -- this metric is min + max - that one (top-1 error of top-1 accuracy)
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
    suspect    VARCHAR,            -- paper | extraction: who is likely wrong
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
    p.published_precision,
    coalesce(b.name, c.benchmark)        AS benchmark,
    c.benchmark                          AS benchmark_surface,
    c.benchmark_id,
    coalesce(b.family, c.benchmark)      AS benchmark_family,
    coalesce(m.name, c.metric)           AS metric,
    c.metric                             AS metric_surface,
    c.metric_inferred,
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

-- Every score claim on a benchmark, with why it is no system's absolute result (left_out, null when it is one):
--   range            a range, not one result;
--   unit, out of range  not in its metric's unit, or outside the metric's range in the catalog (a bare number
--                    above 1 under a metric in percent is a percentage written without its sign: unit_inferred);
--   other measure    the metric as written names something else besides the metric ("routing accuracy", "robust
--                    accuracy", "modality accuracy"), beyond plain qualifiers ("average", "top-1", "zero-shot"); or
--                    the number names no metric and the word right after it names one ("24.14% SF-all", "48.5% PQ");
--   no system        the subject is no system (claims.subject_kind: a catalog model or a name-shaped one count,
--                    capitalised words only when the paper's title holds them or their stem, "Interfaze" of
--                    "Interfaze-Beta": not "our method", "STEM", "PRMs", "ImageNet");
--   several systems  a threshold several systems pass: "33 models achieving over 95%", "several surpassing 96%";
--   relative         a share of another result: a metric named "relative ...", "95% of GPT-4's accuracy",
--                    "maintains 99.9% performance";
--   compared value   the number a result is compared with: "71.0% vs. 56.7%", "from 40.0% to 50.6%", "(vs. Claude
--                    Opus 4.6 at 80.8%)", "the previous record of 83.1%", "the best prior result (13.0%)" (not when
--                    the words name the claim's own subject: "the previous state of the art DCLM (31.98%)");
--   change           a gain stated as a score: "improves pass rate by 9.69", "(absolute 7.8%)", "2.1% higher",
--                    "sacrificing 0.4%", "within 1% of", "by up to 1.68 dB ... and up to 0.52 dB", "+0.7%",
--                    "by $\ge$ 1.1%", "2.44% and 2.63% mIoU gains" (not "improves accuracy to 96.9%");
--   error rate       the words by the number say "error" under a higher-is-better metric ("21.2% top-1 error");
--   setting          a condition of the run: "under 50% expert sparsity", "with 10% of the labels" (not "with
--                    86.0% accuracy": the claim's metric follows);
--   several benchmarks  the benchmark as written lists several ("GSM8K, MMLU, and MMLU-Pro"): which one the number
--                    is on is not known (but for the first number of a list paired "respectively");
--   longer name      the benchmark as written is part of a longer name in its sentence (else the abstract):
--                    "HumanEval" of "mHumanEval" or "HumanEval+", "MiGUE" of "iMiGUE";
--   other benchmark  "on Y" follows the number, Y naming another benchmark ("88.3% vs. 68.3% on Polyglot"; not in a
--                    sentence that pairs lists "respectively").
-- A metric the catalog gives a complement of (top-1 error of top-1 accuracy) is shown as that metric, value =
-- min + max - value, and converted_from names the metric as claimed. A metric as written that the catalog does
-- not know and that stands away from the number, or that is a piece of the benchmark's name, gives way to the
-- benchmark's usual metric (metric_inferred 'metric elsewhere', 'benchmark default'; see the view).
CREATE OR REPLACE VIEW score_claims AS
WITH usual AS (
    -- each benchmark's first usual metric in each unit (as catalog.metric_on takes it for a score naming none)
    SELECT benchmark_id, unit, arg_min(metric_id, place) AS metric_id
    FROM (SELECT benchmark_id, unnest(metrics) AS metric_id, unnest(range(len(metrics))) AS place FROM benchmarks)
    JOIN metrics USING (metric_id)
    GROUP BY benchmark_id, unit
),
placed AS (
    SELECT r.*, c.subject_kind, c.subject_id, c.metric_id AS named_metric_id,
           substr(r.sentence, r."end" - c.sentence_start + 1, 60) AS after_text,
           substr(r.sentence, greatest(r."start" - c.sentence_start - 60, 0) + 1,
                  least(60, r."start" - c.sentence_start)) AS before_text,
           -- the benchmark as written stands in the sentence (else the abstract) only inside a longer name:
           -- "HumanEval" of "mHumanEval" or "HumanEval+", "MiGUE" of "iMiGUE" (a name only the paper's title gives
           -- is not in the abstract at all)
           CASE WHEN NOT regexp_matches(substr(r.sentence, strpos(r.sentence, r.benchmark_surface) - 1, 1)
                                         || substr(r.sentence, strpos(r.sentence, r.benchmark_surface)
                                                               + length(r.benchmark_surface), 1), '[A-Za-z0-9+]')
                     AND strpos(r.sentence, r.benchmark_surface) > 0
                THEN false  -- its first mention stands alone: no pattern to build
                WHEN contains(r.sentence, r.benchmark_surface)
                THEN NOT regexp_matches(r.sentence, '(^|[^A-Za-z0-9])' || regexp_escape(r.benchmark_surface)
                                                    || '($|[^A-Za-z0-9+])')
                WHEN contains(pa.abstract, r.benchmark_surface)
                THEN NOT regexp_matches(pa.abstract, '(^|[^A-Za-z0-9])' || regexp_escape(r.benchmark_surface)
                                                     || '($|[^A-Za-z0-9+])')
                ELSE false END AS benchmark_inside_name
    FROM results r JOIN claims c USING (claim_id) JOIN papers pa ON pa.paper_id = r.paper_id
    WHERE r.kind = 'score' AND r.benchmark IS NOT NULL
),
inferred AS (
    -- A metric as written that stands in the sentence away from the number (not within 60 characters either side,
    -- nor attached to another number, which coordinated numbers share: "80% of attacks ... and nearly 100%") is
    -- not this number's: "achieves strong performance across ... tasks, scoring 70.1% on TAU-Bench, ... and 64.2%
    -- on SWE-bench Verified" (metric_far); one that is a piece of the benchmark's name ("Verified") names none.
    -- When the catalog does not know it, the benchmark's usual metric in the claim's unit is taken, as for a bare
    -- "64.2% on SWE-bench Verified" (metric_inferred 'metric elsewhere', 'benchmark default'). One the catalog
    -- knows is kept, and so is one carried from another sentence: the extraction's reading of the context.
    SELECT p.* REPLACE (
               CASE WHEN u.metric_id IS NOT NULL THEN um.name ELSE p.metric END AS metric,
               CASE WHEN u.metric_id IS NOT NULL THEN p.guess ELSE p.metric_inferred END AS metric_inferred),
           coalesce(p.named_metric_id, u.metric_id) AS metric_id
    FROM (
        SELECT *, CASE WHEN named_metric_id IS NOT NULL THEN NULL
                       WHEN metric_in_benchmark THEN 'benchmark default'
                       WHEN metric_far THEN 'metric elsewhere' END AS guess
        FROM (
            SELECT *,
                   CASE WHEN contains(lower(sentence), lower(metric_surface))
                             AND NOT contains(lower(before_text || text || after_text), lower(metric_surface))
                        THEN NOT regexp_matches(lower(sentence), '[0-9][\s\\%$]*(of\s+(the\s+)?)?'
                                                || regexp_escape(lower(metric_surface)))
                        ELSE false END AS metric_far,
                   contains(lower(benchmark_surface), lower(trim(metric_surface))) AS metric_in_benchmark
            FROM placed
        )
    ) p
    LEFT JOIN usual u ON p.guess IS NOT NULL AND u.benchmark_id = p.benchmark_id AND u.unit = p.unit
    LEFT JOIN metrics um ON um.metric_id = u.metric_id
),
scores AS (
    -- a percentage written without its sign ("pass@1 from 39.02 to 42.68") is one: a bare number above 1 under a
    -- metric in percent (unit_inferred); a bare 0.71 stays a fraction, left out as another unit
    SELECT r.* REPLACE (CASE WHEN r.unit = '' AND m.unit = '%' AND r.value > 1 AND r.value <= 100 THEN '%'
                             ELSE r.unit END AS unit),
           r.unit = '' AND m.unit = '%' AND r.value > 1 AND r.value <= 100 AS unit_inferred,
           m.unit AS metric_unit, m.complement_of,
           -- words of the metric as written that are neither the metric's own nor a plain qualifier of it:
           -- "routing accuracy", "modality accuracy", "robust accuracy" measure something else
           list_filter(regexp_extract_all(lower(coalesce(r.metric_surface, '')), '[a-z][a-z0-9@]*'),
                       lambda w: NOT contains(lower(m.name || ' ' || array_to_string(m.aliases, ' ') || ' '
                                                    || coalesce(r.benchmark_surface, '')),
                                              regexp_replace(regexp_replace(w, 'ies$', 'y'), 's$', ''))
                                 AND NOT list_contains(['average', 'avg', 'mean', 'overall', 'top', 'test', 'testing',
                                     'validation', 'val', 'held', 'out', 'zero', 'few', 'one', 'shot', 'final',
                                     'classification', 'linear', 'probe', 'probing', 'fine', 'tuning', 'tuned',
                                     'score', 'scores', 'rate', 'performance', 'accuracy', 'acc', 'the', 'of', 'on',
                                     'in', 'its',
                                     'em', 'exact', 'match', 'pass@1', 'task', 'tasks', 'model', 'answer', 'reasoning',
                                     'math', 'mathematical', 'clean', 'standard', 'single', 'crop', 'inference',
                                     'state', 'art', 'sota', 'new', 'best', 'highest', 'achieved', 'results', 'top1',
                                     'top5', 'high', 'peak', 'rank', 'recognition', 'detection', 'diagnostic',
                                     'diagnosis', 'prediction', 'retrieval', 'segmentation', 'localization',
                                     'identification', 'verification', 'answering', 'question', 'translation',
                                     'success', 'completion', 'rates', 'accuracies', 'scores'], w))
               AS other_words, m.min_value, m.max_value, coalesce(m.higher_is_better, true) AS claimed_higher
    FROM inferred r LEFT JOIN metrics m ON m.metric_id = r.metric_id
),
named AS (
    SELECT scores.*,
           -- the name before its first hyphen: "Interfaze" of "Interfaze-Beta", a variant of the paper's system
           CASE WHEN length(split_part(scores.subject_surface, '-', 1)) >= 4
                THEN split_part(scores.subject_surface, '-', 1) ELSE scores.subject_surface END AS subject_stem,
           -- a benchmark as written that lists several ("GSM8K, MMLU, and MMLU-Pro"), not one catalog name: which
           -- of them the number is on is not known, but for the first of as many numbers as the list has, with the
           -- same metric, in a sentence that pairs them "respectively", when the first item is the claim's
           -- benchmark ("51.9% and 44.9% mIoU on COCO and LVIS, respectively": 51.9% is COCO's)
           scores.benchmark_id IS NOT NULL
               AND NOT list_contains(names, lower(trim(scores.benchmark_surface)))
               AND len(items) > 1
               AND NOT (regexp_matches(scores.sentence, '\brespectively\b', 'i')
                        AND list_contains(names, lower(regexp_replace(items[1], '^the\s+', '', 'i')))
                        AND count(*) OVER pairs = len(items)
                        AND row_number() OVER (pairs ORDER BY scores."start") = 1) AS several_benchmarks,
           -- what the number is compared with when words before it name it (hit: they do; named: what they name,
           -- '' in "baseline (92%)"): "(vs. Claude Opus 4.6 at 80.8%)", "against HoGF's 97.63%"; "the previous
           -- record of 83.1%", "the best prior result (13.0%)", "the strongest baseline (x)" (not "our new baseline
           -- of"); "better than the previous best of .45"
           regexp_extract(before_text, '(\b(vs\.?|versus|compared to|compared with|against)\s+((?:[^,;.()%]|\.[0-9])*'
                          || '[A-Za-z](?:[^,;.()%]|\.[0-9])*?)(\s+at|''s|\s+of|\s*\(|:)[\s$\\(~]*)$',
                          ['hit', 'word', 'named', 'end'], 'i') AS versus,
           regexp_extract(before_text, '((^|[\s(])(previous|prior|baselines?)\b([^,;.()%]{0,40}?)(\s+of|''s|\s*\()'
                          || '[\s$\\(~]*)$', ['hit', 'start', 'word', 'named', 'end'], 'i') AS prior,
           regexp_matches(before_text, '\b(new|our)\s+baselines?\b[^,;.()%]{0,40}?(\s+of|\s*\()[\s$\\(~]*$', 'i')
               AS own_baseline,
           regexp_extract(before_text, '(\bthan\s+([^,;.()%]{1,40}?)(\s+of|''s)[\s$\\(~]*)$',
                          ['hit', 'named', 'end'], 'i') AS than,
           regexp_extract(after_text, '^[^,;]{0,30}?\bon\s+(?:the\s+)?([A-Za-z0-9][\w\-+]*(?:\.\w+)*)', 1)
                  AS next_name
    FROM (SELECT *, list_filter(list_transform(regexp_split_to_array(benchmark_surface, '\s*(,|;|&|/|\band\b)\s*'),
                                               lambda w: trim(w)), lambda w: w <> '') AS items
          FROM scores) scores
    LEFT JOIN (SELECT benchmark_id, list_transform(list_append(aliases, name), lambda a: lower(a)) AS names
               FROM benchmarks) b USING (benchmark_id)
    -- (benchmark is part of the partition so that a filter on it reaches below the window)
    WINDOW pairs AS (PARTITION BY scores.benchmark, scores.paper_id, scores.sentence, scores.benchmark_surface,
                     scores.metric_surface)
),
compared AS (
    SELECT * EXCLUDE (versus, prior, own_baseline, than),
           CASE WHEN versus.hit <> '' THEN versus.named
                WHEN prior.hit <> '' AND NOT own_baseline THEN prior.named
                WHEN than.hit <> '' THEN than.named
           END AS compared_with
    FROM named
)
SELECT s.claim_id, s.paper_id, s.title, s.published, s.published_precision, s.benchmark, s.benchmark_surface,
       s.benchmark_id, s.benchmark_family,
       coalesce(cm.name, s.metric)                                        AS metric,
       s.metric_surface, s.metric_inferred,
       CASE WHEN cm.name IS NOT NULL THEN s.metric END                    AS converted_from,
       CASE WHEN cm.name IS NOT NULL THEN s.min_value + s.max_value - s.value ELSE s.value END AS value,
       s.unit, s.unit_inferred, s.subject, s.subject_kind,
       coalesce(s.subject_id, lower(regexp_replace(s.subject, '[\s\-_]+', '', 'g'))) AS subject_key,
       coalesce(cm.higher_is_better, s.claimed_higher)                    AS higher_is_better,
       s.qualifier, s.hedged, s.conditions, s.text, s.sentence,
       CASE
           WHEN s.value_max IS NOT NULL THEN 'range'
           WHEN s.metric_unit IS NOT NULL AND s.metric_unit <> s.unit THEN 'unit'
           WHEN s.value < s.min_value OR s.value > s.max_value THEN 'out of range'
           WHEN len(s.other_words) > 0 AND s.metric_inferred IS DISTINCT FROM 'metric elsewhere'
                AND s.metric_inferred IS DISTINCT FROM 'benchmark default'
                AND NOT starts_with(lower(coalesce(s.metric_surface, '')), 'relative')
                THEN 'other measure'
           WHEN s.subject_kind IS NULL OR NOT (s.subject_kind IN ('model', 'name')
                     OR (s.subject_kind = 'word' AND regexp_matches(s.title, '(?i)(^|[^A-Za-z0-9])(' || regexp_escape(
                             s.subject_surface) || '|' || regexp_escape(s.subject_stem) || ')($|[^A-Za-z0-9])')))
                THEN 'no system'
           -- a threshold several systems pass, not one system's result: "33 models achieving over 95% accuracy
           -- and several surpassing 96%", "flagship language models approach saturation, with scores above 90%"
           WHEN regexp_matches(s.before_text, '(\b(several|many|most|all|some|multiple|few)\s+(of\s+(the|these|our)\s+)?'
                               || '((\w+[\s-]+){0,2}(models|methods|systems|agents|variants|backbones|architectures|'
                               || 'networks|llms|vlms)\s+)?|(^|[\s(])\d+\s+(\w+[\s-]+){0,2}(models|methods|systems|'
                               || 'agents|variants|backbones|architectures|networks|llms|vlms)\s+)(achiev|reach|surpass|'
                               || 'exceed|scor|obtain|attain|get|hit)\w*\s*(over|above|more than|up to|at least|nearly|'
                               || 'about|around)?\s*[$\\(~]*$', 'i')
                OR regexp_matches(s.before_text, '\b(models|methods|systems|agents|llms|vlms)\b[^.;]{0,50}\bwith\s+'
                                  || '(scores?|accurac\w+|results?)\s+(above|over|exceeding|beyond|below|under)\s*'
                                  || '[$\\(~]*$', 'i')
                THEN 'several systems'
           WHEN starts_with(lower(coalesce(s.metric_surface, '')), 'relative')
                OR starts_with(lower(coalesce(s.metric, '')), 'relative')
                OR regexp_matches(s.after_text, '^\s*\\?%?\$?\s*(relative\s+to\b|of\s+(the\s+|its\s+|their\s+|an?\s+)?'
                                  || '([\w.\-]+(''s)?\s+){0,3}(performance|accuracy|score|capabilit|quality|results?)\b)',
                                  'i')
                OR regexp_matches(s.before_text, '\b(maintain\w*|preserv\w*|retain\w*|recover\w*|keeps?|keeping)\s+'
                                  || '(over\s+|up to\s+|about\s+|nearly\s+|approximately\s+|more than\s+|at least\s+)?'
                                  || '[$\\(~]*$', 'i') THEN 'relative'
           WHEN regexp_matches(s.before_text, '(\bvs\.?|\bversus|\bfrom|\bcompared (to|with)|\(\s*(published|'
                               || 'reported|baseline)\s*:?)[\s$\\(~]*$', 'i')
                OR (s.compared_with IS NOT NULL AND NOT regexp_matches(s.compared_with, '\b(and|while|but)\b|\s-\s', 'i')
                    AND NOT regexp_matches(s.after_text, '^[\s\\%$})]*(vs\.?|versus)\s', 'i')
                    AND NOT (s.subject_surface IS NOT NULL AND s.compared_with <> ''
                             AND (contains(lower(s.compared_with), lower(regexp_replace(s.subject_surface, '''s$', '')))
                                  OR contains(lower(s.subject_surface), lower(trim(s.compared_with))))))
                THEN 'compared value'
           WHEN (regexp_matches(s.before_text, '(\bby|\b(gains?|improvements?|increases?|boosts?|reductions?|drops?|'
                                  || 'decreases?|declines?|degradations?|losses|falls?|margins?|deviation|gap)\s+of|'
                                  || '\babsolute|\brelative)\s*(up to|about|over|nearly|approximately|more than|almost|'
                                  || 'roughly|around|on average|an average of|only|just|\$?(\\geq?|\\gtrsim)\$?|≥|>=?)?'
                                  || '\s*[$\\(~+]*$', 'i')
                OR starts_with(s.text, '+') OR regexp_matches(s.before_text, '\+[$\\{~]*$')
                OR regexp_matches(s.before_text, '\b(by|gains?|improvements?|increases?|margins?)\s+(of\s+)?(up to\s+)?'
                                  || '[$\\(~]*[\d.]+\s*(\\?%|dB|points?|pp)?([^.;]|\.\d){0,40}(\band|,)\s+(up to\s+|by\s+)?'
                                  || '[$\\(~]*$', 'i')
                -- gains listed before their noun: "2.44% and 2.63% mIoU gains", "5.5%, 2.2% and 4.5% F1 gains"
                OR regexp_matches(s.after_text, '^[\s\\%$}]*(,\s*[\d.]+\s*\\?%?\$?\s*)*(\s+and\s+|/)[\d.]+\s*\\?%?\$?\s*'
                                  || '((relative|absolute|average|accuracy|performance|score|success|'
                                  || '(?-i:[\w@-]*[A-Z0-9@][\w@-]*))\s+)?(gains?|improvements?|increases?|reductions?|'
                                  || 'decreases?|drops?|higher|lower|better)\b', 'i')
                -- "an increase over the base model of 12.5%", "an improvement in accuracy of 3%"
                OR regexp_matches(s.before_text, '\b(gains?|improvements?|increases?|reductions?|drops?|decreases?)\s+'
                                  || '(over|in|on|against|compared|relative|from)\s+([\w-]+\s+){0,7}of\s*[$\\(~]*$', 'i')
                OR regexp_matches(s.after_text, '^\s*\\?%?\$?\s*[)}]*\s*(higher|lower|more|fewer|less|improvements?|'
                                  || 'gains?|increases?|reductions?|decreases?|better|worse|points?|pp|p\.p\.|'
                                  || 'absolute|relative|faster|slower|smaller|larger)\b', 'i')
                OR (regexp_matches(s.before_text, '\b(improv\w*|gain\w*|boost\w*|increas\w*|rais\w*|reduc\w*|'
                                   || 'decreas\w*|drop\w*|sacrific\w*|los[est]\w*|degrad\w*|within|deviation|'
                                   || 'margin|gap)\b([^.;,]|\.\d){0,20}$', 'i')
                    AND (NOT regexp_matches(s.before_text, '\b(to|at|of|reach\w*|achiev\w*)\s*[$\\(~]*$', 'i')
                         OR regexp_matches(s.before_text, '\bup to\s*[$\\(~]*$', 'i')))
                OR (s.metric_inferred = 'benchmark default'
                    AND regexp_matches(s.before_text, 'reduc|fewer|less\b|saving|compress', 'i')))
                -- not the first of a pair in parentheses, an absolute value: "+6.6 points (42.5 vs. 35.9)"
                AND NOT (regexp_matches(s.before_text, '\(\s*[$\\~]*$')
                         AND regexp_matches(s.after_text, '^[\s\\%$}]*(vs\.?|versus)\s', 'i')) THEN 'change'
           WHEN s.claimed_higher AND s.complement_of IS NULL
                AND (regexp_matches(s.after_text, '^\s*\\?%?\$?\s*(top-?[0-9]+\s+)?(test\s+|classification\s+)?error',
                                    'i')
                     OR regexp_matches(s.before_text, 'error(\s+rate)?\s*(of|:|=|is|was|at)?\s*[$\\(~]*$', 'i'))
                THEN 'error rate'
           WHEN regexp_matches(s.before_text, '\b(under|with|using)\s*(only\s+|just\s+)?[$\\(~]*$', 'i')
                AND NOT starts_with(lower(regexp_replace(s.after_text, '^[\s\\%$)]*', '')),
                                    lower(split_part(trim(coalesce(s.metric_surface, '§')) || ' ', ' ', 1)))
                THEN 'setting'
           WHEN s.several_benchmarks THEN 'several benchmarks'
           WHEN s.benchmark_inside_name THEN 'longer name'
           WHEN s.next_name <> '' AND regexp_matches(s.next_name, '[A-Z0-9]')
                AND (NOT regexp_matches(s.sentence, '\brespectively\b', 'i')
                     OR regexp_matches(s.after_text, '^\s*\\?%?\$?\s*(vs\.?|versus)\s', 'i'))
                AND NOT contains(lower(s.benchmark_surface), lower(s.next_name))
                AND NOT contains(lower(s.benchmark), lower(s.next_name))
                AND NOT contains(lower(s.next_name), lower(s.benchmark)) THEN 'other benchmark'
           WHEN s.metric_inferred IN ('benchmark default', 'metric elsewhere')
                AND regexp_matches(s.after_text, '^[\s\\%$}]*[A-Za-z]')
                AND NOT regexp_matches(s.after_text, '^[\s\\%$}]*(on|in|at|for|of|with|and|or|but|while|when|whereas|'
                                       || 'despite|vs|versus|by|across|over|after|before|under|using|to|from|than|as|'
                                       || 'respectively|overall|average|among|without|compared|which|that|the|this|'
                                       || 'its|their|setting|establishing|surpassing|outperforming|exceeding|'
                                       || 'matching|reaching|achieving|making|ranking|placing)\b', 'i')
                THEN 'other measure'
       END AS left_out
FROM compared s
LEFT JOIN metrics cm ON cm.metric_id = s.complement_of;

-- The score claims that are a system's absolute result on a benchmark: what leaderboards and progress charts show.
CREATE OR REPLACE VIEW absolute_scores AS
SELECT * EXCLUDE (left_out) FROM score_claims WHERE left_out IS NULL;

-- Best claimed absolute value per benchmark, metric and system (lower is better for metrics the catalog says so):
-- one row per system, uncatalogued names grouped by their normalised surface.
CREATE OR REPLACE VIEW leaderboard AS
WITH ranked AS (
    SELECT *,
           row_number() OVER (
               PARTITION BY benchmark, metric, unit, subject_key
               ORDER BY CASE WHEN higher_is_better THEN -value ELSE value END, published DESC NULLS LAST, claim_id
           ) AS rank_in_group,
           count(*) OVER (PARTITION BY benchmark, metric, unit, subject_key) AS claims
    FROM absolute_scores
)
SELECT benchmark, benchmark_family, metric, metric_inferred, converted_from, unit, unit_inferred, subject,
       subject_kind, value, higher_is_better, qualifier, hedged, claims, paper_id, title, published,
       published_precision, claim_id, text, sentence
FROM ranked
WHERE rank_in_group = 1;

-- Multiplicative factors ("1.3x over cuDNN"): who, against what, in which direction and setting, and what the factor
-- measures, from its metric or else the words right after it ("3x faster", "4x less memory", "2x cheaper"):
-- speed (speedup, latency, throughput, time), memory (memory, size, compression, parameters), cost (cost, price,
-- energy, FLOPs, tokens), else other.
CREATE OR REPLACE VIEW speedups AS
WITH factors AS (
    SELECT r.*, lower(coalesce(r.metric, '') || ' | ' || substr(r.sentence, r."end" - c.sentence_start + 1, 40))
               AS said
    FROM results r JOIN claims c USING (claim_id)
    WHERE r.kind = 'ratio'
)
SELECT claim_id, paper_id, title, published, published_precision, subject, baseline, metric, value, value_max,
       direction, qualifier, hedged, conditions, hardware_id, precision, benchmark, text, sentence,
       CASE
           WHEN regexp_matches(said, '^[^|]*(memory|footprint|vram|kv.?cache|model size|storage|compress|parameter|'
                               || 'size)') THEN 'memory'
           WHEN regexp_matches(said, '^[^|]*(cost|price|dollar|energy|power|flop|token|comput|budget)') THEN 'cost'
           WHEN regexp_matches(said, '^[^|]*(speed|faster|latency|throughput|time|accelerat|fps|per second|/s\b)')
               THEN 'speed'
           WHEN regexp_matches(said, '\|\s*\)?\s*(the\s+)?(less|lower|smaller|fewer|reduc\w*)?\s*(gpu\s+|peak\s+)?(memory|footprint|'
                               || 'vram|storage|compress|smaller|parameters)') THEN 'memory'
           WHEN regexp_matches(said, '\|\s*\)?\s*(less|lower|fewer|reduc\w*)?\s*(cheaper|cost|price|energy|'
                               || 'power|flops|tokens|compute)') THEN 'cost'
           WHEN regexp_matches(said, '\|\s*\)?\s*(end-to-end\s+|inference\s+|training\s+|lower\s+|higher\s+)?'
                               || '(speed|faster|quicker|latency|throughput|acceleration|time|runtime|inference)')
               THEN 'speed'
           ELSE 'other'
       END AS measures
FROM factors;
