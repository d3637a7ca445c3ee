"""Load gate.yml: which audit rules block publishing, which only warn, and their thresholds."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hotline.settings import PROJECT_DIR

DEFAULT_CONFIG_PATH = PROJECT_DIR / "gate.yml"
CONFIG_ENV = "HOTLINE_GATE_CONFIG"
SEVERITIES = ("block", "warn", "off")
# Every rule the audit knows. A rule missing from the file is a configuration error rather than
# a silent default: the file is the one place that says what blocks.
RULES = (
    "dbt_tests", "schema", "keys", "not_null", "enums", "value_ranges", "rates_in_range",
    "identities", "reconciliation", "quarantine_share", "orphan_share", "landing_failures",
    "freshness", "volume_day_over_day",
)


class GateConfigError(ValueError):
    """gate.yml is missing a rule, names an unknown one, or has a bad severity/threshold."""


@dataclass(frozen=True)
class Rule:
    name: str
    severity: str
    params: dict[str, Any] = field(default_factory=dict)

    def param(self, key: str) -> Any:
        if key not in self.params:
            raise GateConfigError(f"gate rule {self.name!r} needs a {key!r} setting")
        return self.params[key]


@dataclass(frozen=True)
class GateConfig:
    rules: dict[str, Rule]
    source: str = "<dict>"

    def rule(self, name: str) -> Rule:
        return self.rules[name]

    def severity(self, name: str) -> str:
        return self.rules[name].severity

    def enabled(self, name: str) -> bool:
        return self.rules[name].severity != "off"

    @classmethod
    def from_dict(cls, data: dict, source: str = "<dict>") -> GateConfig:
        raw_rules = (data or {}).get("rules")
        if not isinstance(raw_rules, dict):
            raise GateConfigError(f"{source}: expected a 'rules:' mapping")
        unknown = sorted(set(raw_rules) - set(RULES))
        missing = [name for name in RULES if name not in raw_rules]
        if unknown:
            raise GateConfigError(f"{source}: unknown gate rule(s): {', '.join(unknown)}")
        if missing:
            raise GateConfigError(f"{source}: gate rule(s) not configured: {', '.join(missing)}")
        rules: dict[str, Rule] = {}
        for name in RULES:
            settings = dict(raw_rules[name] or {})
            severity = str(settings.pop("severity", "")).lower()
            if severity not in SEVERITIES:
                raise GateConfigError(
                    f"{source}: rule {name!r} severity must be one of {SEVERITIES}, "
                    f"got {severity!r}"
                )
            for key, value in settings.items():
                if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                    raise GateConfigError(
                        f"{source}: rule {name!r} setting {key!r} must be a number >= 0"
                    )
            rules[name] = Rule(name, severity, settings)
        config = cls(rules, source)
        # Thresholds the audit needs, checked up front so a typo fails before the build.
        for name, keys in (
            ("quarantine_share", ("max_share",)),
            ("orphan_share", ("max_share",)),
            ("freshness", ("max_age_hours",)),
            ("volume_day_over_day", ("min_ratio", "max_ratio")),
        ):
            if config.enabled(name):
                for key in keys:
                    config.rule(name).param(key)
        return config

    def with_overrides(self, **rules: dict) -> GateConfig:
        """A copy with some rules replaced, e.g. with_overrides(orphan_share={...})."""
        data = {
            name: {"severity": rule.severity, **rule.params} for name, rule in self.rules.items()
        }
        for name, settings in rules.items():
            data[name] = {**data.get(name, {}), **settings}
        return GateConfig.from_dict({"rules": data}, self.source + " (overridden)")


def load_gate_config(path: Path | None = None) -> GateConfig:
    """Read the gate configuration: explicit path, else $HOTLINE_GATE_CONFIG, else ./gate.yml."""
    chosen = path or (Path(os.environ[CONFIG_ENV]) if os.environ.get(CONFIG_ENV) else None)
    chosen = chosen or DEFAULT_CONFIG_PATH
    if not Path(chosen).is_file():
        raise GateConfigError(f"gate configuration not found: {chosen}")
    with open(chosen, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return GateConfig.from_dict(data, str(chosen))
