"""The dbt vars a caller may pass, checked before anything runs (DECISIONS.md, "Vars").

The declaration lives in one place, the YAML block of macros/vars.sql, which dbt reads too
(on-run-start and every place a var reaches SQL). This module reads the same block and
applies the same rules, plus what only Python can check: the time zone is in the IANA
database (zoneinfo). A bad value is a VarError with one line naming the var: the CLI turns it
into exit code 2 before it opens the warehouse.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from hotline.settings import PROJECT_DIR

SCHEMA_PATH = PROJECT_DIR / "macros" / "vars.sql"
_BLOCK = re.compile(r"# hotline-var-schema:begin\n(.*?)# hotline-var-schema:end", re.S)
# The same strict pattern the dbt macro uses (macros/vars.sql, timezone_pattern).
TIMEZONE_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}")
TYPES = ("timezone", "integer", "number", "choice", "boolean", "date", "name")
# A `name` var (e.g. a contact attribute) becomes part of a JSON path or a literal in SQL:
# letters, digits, _ - . only, 128 characters at most; empty means "none".
NAME_PATTERN = re.compile(r"[A-Za-z0-9_.-]{0,128}")


class VarError(ValueError):
    """A --vars value, key or text that may not reach dbt (one line, names the var)."""


@dataclass(frozen=True)
class VarSpec:
    name: str
    type: str
    min: float | None = None
    max: float | None = None
    allowed: tuple | None = None


def _short(value: Any) -> str:
    """The value as the caller typed it: quoted text, or YAML/JSON for anything else."""
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


@cache
def load_schema(path: Path = SCHEMA_PATH) -> dict[str, VarSpec]:
    """Every declared var, from the YAML block of macros/vars.sql."""
    match = _BLOCK.search(path.read_text(encoding="utf-8"))
    if not match:
        raise RuntimeError(f"{path}: no hotline-var-schema block")
    raw = yaml.safe_load(match.group(1)) or {}
    specs: dict[str, VarSpec] = {}
    for name, spec in raw.items():
        kind = spec.get("type")
        if kind not in TYPES:
            raise RuntimeError(f"{path}: var {name} has unknown type {kind!r}")
        allowed = spec.get("allowed")
        specs[name] = VarSpec(name, kind, spec.get("min"), spec.get("max"),
                              tuple(allowed) if allowed is not None else None)
    return specs


@cache
def _zones() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


def problem(spec: VarSpec, value: Any) -> str | None:
    """Why `value` is not valid for `spec` (one line), or None."""
    name, shown = spec.name, _short(value)
    if spec.type == "timezone":
        if not isinstance(value, str) or not TIMEZONE_PATTERN.fullmatch(value) \
                or value not in _zones():
            return (f"{name} must be an IANA time zone such as Asia/Shanghai or UTC, "
                    f"got {shown}")
    elif spec.type in ("integer", "number"):
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if not numeric or (spec.type == "integer" and not isinstance(value, int)) \
                or not math.isfinite(value) or abs(value) > 1e15:
            kind = "a whole number" if spec.type == "integer" else "a number"
            return f"{name} must be {kind}, got {shown}"
        if spec.min is not None and value < spec.min:
            return f"{name} must be at least {spec.min:g}, got {shown}"
        if spec.max is not None and value > spec.max:
            return f"{name} must be at most {spec.max:g}, got {shown}"
    elif spec.type == "name":
        if not isinstance(value, str) or not NAME_PATTERN.fullmatch(value):
            return f"{name} must be a name of letters, digits, _ - . (or empty), got {shown}"
    elif spec.type == "boolean":
        if not isinstance(value, bool):
            return f"{name} must be true or false, got {shown}"
    elif spec.type == "date":
        valid = isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
        try:
            valid = valid and date.fromisoformat(value)
        except ValueError:
            valid = False
        if not valid:
            return f"{name} must be a date YYYY-MM-DD, got {shown}"
    if spec.allowed is not None and (not isinstance(value, str | int | float)
                                     or isinstance(value, bool) or value not in spec.allowed):
        options = ", ".join(str(option) for option in spec.allowed)
        return f"{name} must be one of {options}, got {shown}"
    return None


def validate_vars(values: dict, schema: dict[str, VarSpec] | None = None) -> dict:
    """Return `values` when every key is declared and every value valid; else VarError."""
    schema = schema if schema is not None else load_schema()
    for key, value in values.items():
        if not isinstance(key, str) or key not in schema:
            close = difflib.get_close_matches(str(key), list(schema), n=1)
            hint = f" (did you mean {close[0]}?)" if close else \
                f" (declared: {', '.join(sorted(schema))})"
            raise VarError(f"--vars: unknown var {_short(key)}{hint}")
        reason = problem(schema[key], value)
        if reason:
            raise VarError(f"--vars: {reason}")
    return values


def parse_vars(text: str | None) -> dict:
    """--vars (JSON or YAML) as a validated dict; empty when not given."""
    if text is None or not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise VarError(f"--vars is neither valid JSON nor YAML: {detail}") from None
    if not isinstance(value, dict):
        raise VarError(f"--vars must be a mapping such as '{{interval_minutes: 15}}', "
                       f"got {_short(text)}")
    return validate_vars(value)
