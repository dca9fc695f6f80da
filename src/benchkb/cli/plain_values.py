"""Values taken as they come, without pydantic, where Typer's coercion would give them unchanged.

Typer (0.2x) coerces every parameter through a pydantic ``TypeAdapter`` that it builds on the parameter's
first use, even for a string that stays a string or a flag at its default (``--help`` included): importing
pydantic and building the adapters is about 0.1 s of CPU at every start (issue 15: ``sql``, ``papers`` and
``show`` start in under 0.4 s). :func:`install` makes Typer give each ``str``, ``bool`` and plain ``Path``
parameter a coercion that returns what Typer's would: a ``str`` or a ``bool`` as it is, a ``Path`` through
Typer's own path checks (``exists``, ``dir_okay``, ...). Any other value (a number, a choice, a bool read
from an environment variable) goes to Typer's adapter, built then.

This replaces one of Typer's internals (``typer.core.build_runtime_param``, which a parameter calls on first
use); where a Typer release lacks it, Typer is left alone (slower, not wrong), and
``tests/test_cli_startup.py`` fails so that someone looks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.core

try:  # Typer's adapter builder and path checks; a release that moved them keeps its own coercion
    from typer._coercion import build_runtime_param
    from typer._param_types import coerce_cli_path
except ImportError:  # pragma: no cover - depends on the installed Typer
    build_runtime_param = coerce_cli_path = None

_PLAIN = (str, bool, Path)


class PlainCoercion:
    """The coercion of one str, bool or Path parameter: the value when it already has that type (a Path
    also from text, and checked as Typer checks it), else Typer's adapter."""

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        kind = self.descriptor.annotation
        if value is None:  # as Typer's: no value given, or none of several
            return () if param.multiple or param.nargs == -1 else None
        if not (isinstance(value, kind) or (kind is Path and isinstance(value, str))):
            return build_runtime_param(self.descriptor).coerce(value, param=param, ctx=ctx)
        if kind is not Path:
            return value
        # Typer makes the Path with pydantic's Path(text), then checks it: the same Path, checked the same.
        info = self.descriptor.parameter_info
        return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)


def plain(descriptor: Any) -> bool:
    """Whether Typer's coercion of a parameter (its type descriptor) returns a value of the parameter's own
    type as it is (a Path: checked)."""
    info = descriptor.parameter_info
    return (
        descriptor.annotation in _PLAIN
        and descriptor.file_annotation is None
        and info.parser is None
        and info.path_type is None
    )


def _runtime_param(descriptor: Any) -> Any:
    return PlainCoercion(descriptor) if plain(descriptor) else build_runtime_param(descriptor)


def install() -> bool:
    """Route Typer's plain parameters through :class:`PlainCoercion`; whether this Typer allowed it."""
    if build_runtime_param is None or getattr(typer.core, "build_runtime_param", None) is None:
        return False
    typer.core.build_runtime_param = _runtime_param
    return True
