"""The quality gate: Great Expectations audits the built warehouse before it is published."""

from hotline.gate.config import GateConfig, GateConfigError, load_gate_config
from hotline.gate.runner import Finding, GateReport, run_audit
from hotline.gate.suites import AuditContext

__all__ = [
    "AuditContext", "Finding", "GateConfig", "GateConfigError", "GateReport",
    "load_gate_config", "run_audit",
]
