"""JSON Schema of the record shapes, generated from the pydantic models into ``schemas/``.

Run ``python -m benchkb.jsonschema`` after changing a model; a test fails while the files are stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from benchkb.models import Claim, Finding, Paper, Review
from benchkb.resources import schemas_dir

SCHEMAS: dict[str, type[BaseModel]] = {"paper": Paper, "claim": Claim, "finding": Finding, "review": Review}


def schema_text(model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://benchkb.invalid/schemas/{model.__name__.lower()}.schema.json"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_schemas(directory: Path | None = None) -> list[Path]:
    directory = directory or schemas_dir()
    written = []
    for name, model in SCHEMAS.items():
        path = directory / f"{name}.schema.json"
        path.write_text(schema_text(model), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_schemas(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        sys.stdout.write(f"wrote {path}\n")
