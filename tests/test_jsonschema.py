"""schemas/*.schema.json are generated from the pydantic models; this fails when they are stale."""

from __future__ import annotations

from benchkb.jsonschema import SCHEMAS, schema_text
from benchkb.resources import schemas_dir


def test_schemas_are_current():
    for name, model in SCHEMAS.items():
        path = schemas_dir() / f"{name}.schema.json"
        assert path.read_text(encoding="utf-8") == schema_text(model), (
            f"{path.name} is stale: run `python -m benchkb.jsonschema`"
        )
