"""Mine the corpus for the most frequent benchmark-like names, to decide what the catalog must cover.

Usage (from the repository root)::

    .venv/bin/python benchmarks/mine_catalog_names.py                       # top 400 candidates, all patterns
    .venv/bin/python benchmarks/mine_catalog_names.py --top 100 --unresolved  # only names the catalog misses
    .venv/bin/python benchmarks/mine_catalog_names.py --kind model           # model-like names instead
    .venv/bin/python benchmarks/mine_catalog_names.py --coverage # how much of the top the catalog covers

Inputs are the gzip JSON Lines corpora under ``../shared/corpus`` (records with ``abstract``) and the
plain-text page ``../shared/seed/hf-daily-papers.txt``. Counts are *papers* mentioning a name (document
frequency), so one abstract that repeats "ImageNet" five times counts once.

Benchmark candidates come from four patterns, each reported in its own column:

* ``ctx`` a dataset-shaped name after "on"/"across"/"over"/"using" (``on ImageNet``, ``on SWE-bench
  Verified``)
* ``noun``   a name before "benchmark"/"dataset"/"suite"/"corpus"/"challenge" (``the nuScenes dataset``)
* ``suffix`` a token ending in Bench/Eval/QA/Arena/Gym/World (``BigCodeBench``, ``LiveCodeBench``,
  ``TriviaQA``) * ``known`` a fixed list of well-known dataset names matched anywhere (``GSM8K``, ``MuJoCo``,
  ``LibriSpeech``)

With ``--unresolved`` each candidate is looked up in the catalog (``benchkb.catalog``) and only misses are
printed, which is how the catalog was grown: add entries until the top of this list is noise. ``--coverage``
prints how many of the most frequent candidates the catalog resolves.

Last run (166,590 texts, 1,980 candidates in >= 5 papers; catalog of 857 benchmarks)::

    top    resolved  papers covered
    100        59      12211 / 18338
    300       170      16442 / 25856
    600       289      18596 / 31239
    1000      481      20629 / 35459

The unresolved part of the top 300 is not benchmarks: generic words and tasks ("LLMs", "English", "QA", "IQA",
"VideoQA", "RGB-D", "GitHub", "PubMed", "Wikipedia") and model names (CLIP, GPT-4o, BERT), which the ``model``
kind covers. Of the 228 candidates with a benchmark-like suffix (-Bench, -Eval, -QA, ...) 155 resolve; the
rest are task names (KBQA, VideoQA) or appear in fewer than 8 papers.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# A dataset-shaped token: starts upper-case or digit-led acronym, may carry digits, hyphens, dots, pluses.
TOKEN = r"[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*\+{0,2}"
TAIL = r"(?:\s(?:[A-Z0-9][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*\+{0,2}|v\d[\w.]*))"
NAME = rf"{TOKEN}{TAIL}{{0,2}}"
CONTEXT = re.compile(
    rf"\b(?:on|across|over|using)\s+(?:the\s+)?(?:challenging\s+|popular\s+|standard\s+)?({NAME})"
)
NOUN = re.compile(rf"\b({NAME})\s+(?:benchmarks?|datasets?|suite|corpus|challenge|leaderboard)\b")
SUFFIX = re.compile(
    r"\b([A-Za-z0-9][\w-]*(?:Bench|bench|BENCH|Eval|EVAL|QA|Arena|Gym|World))(\+{0,2})(?![\w-])"
)
KNOWN = [
    "ImageNet",
    "COCO",
    "CIFAR-10",
    "CIFAR-100",
    "MNIST",
    "GLUE",
    "SuperGLUE",
    "SQuAD",
    "MMLU",
    "GSM8K",
    "MATH",
    "HumanEval",
    "MBPP",
    "SWE-bench",
    "WebArena",
    "ALFWorld",
    "Atari",
    "MuJoCo",
    "LibriSpeech",
    "KITTI",
    "nuScenes",
    "ScanNet",
    "WMT14",
    "WMT16",
    "Cityscapes",
    "ADE20K",
    "Pascal VOC",
    "ShapeNet",
    "Waymo",
    "AIME",
    "HellaSwag",
    "ARC",
    "TruthfulQA",
    "BBH",
    "Big-Bench",
    "DROP",
    "MT-Bench",
    "AlpacaEval",
    "Kinetics",
    "UCF101",
    "CelebA",
    "FFHQ",
    "LSUN",
    "Penn Treebank",
    "WikiText-103",
    "C4",
    "The Pile",
    "OpenWebText",
    "D4RL",
    "Procgen",
    "DMControl",
    "Meta-World",
    "MiniGrid",
    "NetHack",
    "Minecraft",
    "VQAv2",
    "GQA",
    "MSR-VTT",
    "Flickr30k",
    "NYUv2",
    "Replica",
    "DTU",
    "LLFF",
    "Tanks and Temples",
    "Mip-NeRF 360",
    "Human3.6M",
    "3DPW",
    "MovieLens",
    "OGB",
    "Cora",
    "Citeseer",
    "PubMed",
    "QM9",
    "ModelNet40",
    "S3DIS",
    "SemanticKITTI",
    "VoxCeleb",
    "AudioSet",
    "Common Voice",
    "TIMIT",
    "APPS",
    "CodeContests",
    "LiveCodeBench",
    "Spider",
    "BIRD",
    "HotpotQA",
    "Natural Questions",
    "TriviaQA",
    "MS MARCO",
    "BEIR",
    "CNN/DailyMail",
    "XSum",
    "LongBench",
    "RULER",
    "MMMU",
    "MathVista",
    "ChartQA",
    "DocVQA",
    "TextVQA",
    "ScienceQA",
    "POPE",
    "MME",
    "GPQA",
    "OlympiadBench",
    "Omni-MATH",
    "AMC",
    "MiniF2F",
    "ProofNet",
    "Defects4J",
    "CRUXEval",
    "BigCodeBench",
    "DS-1000",
    "ToolBench",
    "AgentBench",
    "OSWorld",
    "Mind2Web",
    "WebShop",
    "ScienceWorld",
    "GAIA",
    "tau-bench",
    "SPEC CPU",
    "PolyBench",
    "MLPerf",
    "DaCapo",
    "Rodinia",
    "PARSEC",
    "ImageNet-1K",
    "ImageNet-21K",
    "JFT-300M",
    "LAION-5B",
    "Objects365",
    "LVIS",
    "Open Images",
    "Visual Genome",
    "RefCOCO",
    "Something-Something",
    "AVA",
    "EPIC-Kitchens",
    "Ego4D",
    "DAVIS",
    "YouTube-VOS",
    "MOT17",
    "Argoverse",
    "CARLA",
    "Habitat",
    "Matterport3D",
    "ScanNet++",
    "BraTS",
    "CheXpert",
    "MIMIC-III",
    "MIMIC-CXR",
    "UK Biobank",
    "PhysioNet",
    "Criteo",
    "Amazon Reviews",
    "Yelp",
    "IMDb",
    "SST-2",
    "MNLI",
    "SNLI",
    "CoNLL-2003",
    "OntoNotes",
    "WinoGrande",
    "PIQA",
    "BoolQ",
    "OpenBookQA",
    "CommonsenseQA",
]
_KNOWN_ALTERNATIVES = "|".join(re.escape(k) for k in sorted(KNOWN, key=len, reverse=True))
KNOWN_RE = re.compile(rf"(?<![\w-])({_KNOWN_ALTERNATIVES})(?![\w-])")

# Model-like names: family stems people report and compare against.
MODEL_RE = re.compile(
    r"(?<![\w-])((?:GPT|Llama|LLaMA|Qwen|DeepSeek|Claude|Gemini|Gemma|Mistral|Mixtral|Phi|Falcon|Vicuna|BERT|"
    r"RoBERTa|T5|ResNet|ViT|CLIP|BLIP|LLaVA|InternVL|Yi|OPT|BLOOM|StarCoder|CodeLlama|Code Llama|o1|o3|o4|"
    r"Grok|Kimi|GLM|ChatGLM|Stable Diffusion|SDXL|DALL-E|Whisper|wav2vec|SAM|DINOv2|DINO|Swin|ConvNeXt|"
    r"EfficientNet|YOLO\w*|Codex|CodeGen|WizardCoder|MiniCPM|Baichuan|InternLM|Pythia|OLMo|Mamba|ELECTRA|"
    r"XLNet|ALBERT|DeBERTa|BART|PaLM|Chinchilla|Gopher|Flan-T5|UL2|ChatGPT|InstructGPT|FlashAttention|vLLM|"
    r"SGLang|TensorRT-LLM|Megatron-LM|DeepSpeed|ReAct|"
    r"SWE-agent|OpenHands|AutoCodeRover|Agentless)(?:[-\s]?[\w.]+){0,3})"
)
STOP = {
    "The",
    "This",
    "These",
    "In",
    "We",
    "Our",
    "A",
    "An",
    "It",
    "To",
    "For",
    "However",
    "Moreover",
    "Furthermore",
    "Finally",
    "Additionally",
    "Specifically",
    "Experiments",
    "Extensive",
    "Code",
    "Results",
    "Both",
    "Each",
    "All",
}


def abstracts(shared: Path) -> Iterator[str]:
    """Yield every abstract of the corpus files, then the daily-papers page paragraph by paragraph."""
    for path in sorted((shared / "corpus").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                yield " ".join(str(record.get("abstract") or "").split())
    page = shared / "seed" / "hf-daily-papers.txt"
    if page.exists():
        for paragraph in page.read_text(encoding="utf-8").split("\n\n"):
            if len(paragraph) > 200:
                yield " ".join(paragraph.split())


def benchmark_candidates(text: str) -> dict[str, set[str]]:
    """The candidate names of one abstract, per pattern."""
    found: dict[str, set[str]] = {"ctx": set(), "noun": set(), "suffix": set(), "known": set()}
    for match in CONTEXT.finditer(text):
        found["ctx"].add(match.group(1))
    for match in NOUN.finditer(text):
        found["noun"].add(match.group(1))
    for match in SUFFIX.finditer(text):
        found["suffix"].add(match.group(1) + match.group(2))
    for match in KNOWN_RE.finditer(text):
        found["known"].add(match.group(1))
    for names in found.values():
        names -= STOP
    return found


def mine(shared: Path, kind: str) -> tuple[Counter[str], dict[str, Counter[str]], int]:
    """Count papers per candidate name, overall and per pattern; return the counts and the number of papers
    read."""
    total: Counter[str] = Counter()
    per_pattern: dict[str, Counter[str]] = {}
    papers = 0
    for text in abstracts(shared):
        papers += 1
        if kind == "model":
            found = {"model": {m.group(1).strip() for m in MODEL_RE.finditer(text)}}
        else:
            found = benchmark_candidates(text)
        union: set[str] = set()
        for pattern, names in found.items():
            per_pattern.setdefault(pattern, Counter()).update(names)
            union |= names
        total.update(union)
    return total, per_pattern, papers


def catalog_lookup(kind: str):
    """The shipped catalog's resolver for ``kind``: surface -> entry, or None when it does not resolve."""
    from benchkb.catalog import Catalog

    catalog = Catalog.load()
    return catalog.benchmark if kind == "benchmark" else catalog.model


def print_coverage(total: Counter[str], lookup, *, min_papers: int) -> None:
    """For the top 100, 300, 600 and 1000 candidates: how many resolve, and the papers they account for."""
    ranked = [(name, count) for name, count in total.most_common() if count >= min_papers]
    print(f"# {len(ranked)} candidates in >= {min_papers} papers")
    print("top\tresolved\tpapers covered")
    for top in (100, 300, 600, 1000):
        head = ranked[:top]
        hits = [count for name, count in head if lookup(name) is not None]
        print(f"{top}\t{len(hits)}\t{sum(hits)} / {sum(count for _, count in head)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="directory holding corpus/ and seed/")
    parser.add_argument("--top", type=int, default=400, help="how many names to print")
    parser.add_argument("--kind", choices=["benchmark", "model"], default="benchmark")
    parser.add_argument(
        "--unresolved", action="store_true", help="print only names the catalog does not resolve"
    )
    parser.add_argument(
        "--coverage", action="store_true", help="print how many top candidates the catalog resolves"
    )
    parser.add_argument("--min-papers", type=int, default=5)
    args = parser.parse_args()

    total, per_pattern, papers = mine(args.shared, args.kind)
    if args.coverage:
        print_coverage(total, catalog_lookup(args.kind), min_papers=args.min_papers)
        return
    lookup = catalog_lookup(args.kind) if args.unresolved else None
    patterns = sorted(per_pattern)
    print(f"# {papers} texts read; {len(total)} distinct candidates; counts are papers")
    print("\t".join(["papers", *patterns, "name"]))
    shown = 0
    for name, count in total.most_common():
        if count < args.min_papers or shown >= args.top:
            break
        if lookup is not None and lookup(name) is not None:
            continue
        print("\t".join([str(count), *(str(per_pattern[p][name]) for p in patterns), name]))
        shown += 1


if __name__ == "__main__":
    main()
