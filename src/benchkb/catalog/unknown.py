"""Which unresolved names are worth a catalog entry: `benchkb catalog unknown` leaves out modalities, tasks,
languages and fragments of names, which lead the raw list but are no benchmark a catalog could hold.

* modality, task and field words ("MRI", "CT", "X-ray", "IQA", "VideoQA", "NER", "RAG", "Chinese"):
  ``NOT_BENCHMARKS``;
* fragments: a bare version ("v2", "V1.5"), a name of one or two characters ("SE" of SE(3), "SO" of SO(3)), a
  short name written right before "(" and a digit in its sentence ("SE(3)", "SIM(3)"), a word ending in
  "-based".
"""

from __future__ import annotations

import re

from benchkb.catalog.normalize import normalize_name

# Normalised keys (benchkb.catalog.normalize_name) of words that name a modality, a task, a field or a
# language.
NOT_BENCHMARKS = frozenset(
    normalize_name(word)
    for word in (
        "MRI",
        "fMRI",
        "CT",
        "X-ray",
        "ultrasound",
        "EEG",
        "ECG",
        "EHR",
        "PET",
        "LiDAR",
        "RGB",
        "RGB-D",
        "RGBD",
        "UAV",
        "IQA",
        "VQA task",
        "VideoQA",
        "CQA",
        "KGQA",
        "KBQA",
        "MCQA",
        "AQA",
        "TQA",
        "QA",
        "NER",
        "NLU",
        "NLG",
        "MT",
        "OCR",
        "ASR",
        "TTS",
        "HAR",
        "ReID",
        "Re-ID",
        "OOD",
        "RAG",
        "GUI",
        "HTC",
        "SLAM",
        "VLN",
        "NLP",
        "CV",
        "LLM",
        "LLMs",
        "VLM",
        "VLMs",
        "GNN",
        "CNN",
        "Chinese",
        "English",
        "Japanese",
        "Korean",
        "Arabic",
        "German",
        "French",
        "Challenge",
        "Existing",
        "Detection",
        "Segmentation",
        "Classification",
        "Benchmark",
        "Dataset",
        "GitHub",
        "Wikipedia",
        "PubMed",
        "Twitter",
        "Reddit",
        "MOOC",
        "LFQA",
        "EQA",
        "OpenQA",
        "SQA",
        "MHQA",
        "TOD",
        "STS",
        "FER",
        "COD",
        "WSI",
        "OCT",
        "COVID-19",
        "Prostate",
        "AI-generated",
        "NVIDIA",
        "UCI",
        "TED",
    )
)
_VERSION = re.compile(r"^v?\d+(\.\d+)*[a-z]?$", re.IGNORECASE)


def worth_cataloguing(name: str, example: str | None = None) -> bool:
    """Whether an unresolved benchmark name could be a catalog entry (see the module docstring)."""
    stripped = name.strip()
    if len(stripped) <= 2 or _VERSION.match(stripped) or stripped.lower().endswith("-based"):
        return False
    if normalize_name(stripped) in NOT_BENCHMARKS:
        return False
    # a group's symbol before its dimension, "SE(3)", "SIM(3)": short names only, so "SEAL(3 layers)" stays
    return not (
        len(stripped) <= 3 and example and re.search(rf"(?<![\w-]){re.escape(stripped)}\(\s*\d", example)
    )
