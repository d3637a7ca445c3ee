"""Run the hotline CLI with test pauses wrapped around its steps, so a test can kill it there.

    python python_tests/pause_runner.py <step>[,<step>...] nightly --landing-dir ...

The production code has no test hooks: this runner wraps the functions the nightly calls
(by module attribute, the way the nightly looks them up) before handing over to the CLI.
At a pause it prints "hotline-test: paused at <step> (pid N)" to stderr and sleeps
HOTLINE_TEST_PAUSE_SECONDS (default 300), where the test kills it.

  land     after landing's first transaction (one delivery) has committed
  build    after `dbt build` returned, before the audit
  audit    before the quality gate runs
  publish  when the new serving file is complete, before it is swapped in
"""

from __future__ import annotations

import functools
import os
import sys
import time

STEPS = ("land", "build", "audit", "publish")


def pause(step: str) -> None:
    print(f"hotline-test: paused at {step} (pid {os.getpid()})", file=sys.stderr, flush=True)
    time.sleep(float(os.environ.get("HOTLINE_TEST_PAUSE_SECONDS", "300")))


def _wrap(module, name: str, step: str, *, before: bool, first_only: bool = True) -> None:
    original = getattr(module, name)
    calls = {"n": 0}

    @functools.wraps(original)
    def wrapped(*args, **kwargs):
        calls["n"] += 1
        hit = calls["n"] == 1 or not first_only
        if before and hit:
            pause(step)
        result = original(*args, **kwargs)
        if not before and hit:
            pause(step)
        return result

    setattr(module, name, wrapped)


def install(steps: set[str]) -> None:
    unknown = steps - set(STEPS)
    if unknown:
        raise SystemExit(f"unknown pause step(s): {sorted(unknown)}; known: {STEPS}")
    from hotline import build, landing, nightly, publish

    if "land" in steps:
        _wrap(landing, "_land_delivery", "land", before=False)
    if "build" in steps:
        _wrap(build, "run_dbt", "build", before=False)
    if "audit" in steps:
        _wrap(nightly, "_audit", "audit", before=True)
    if "publish" in steps:
        # the first fsync is of the finished temp file, just before os.replace swaps it in
        _wrap(publish, "fsync_path", "publish", before=True)


def main() -> None:
    steps = {step.strip() for step in sys.argv[1].split(",") if step.strip()}
    install(steps)
    from hotline.cli import app

    sys.argv = ["hotline", *sys.argv[2:]]
    app()


if __name__ == "__main__":
    main()
