"""Audit the installed dependencies for known vulnerabilities (pip-audit).

A vulnerability is a failure unless ``scripts/known-vulnerabilities.txt`` names
its id with the reason it does not reach Homeward.  When the vulnerability data
cannot be reached (a machine that sees only a mirror of the package index), the
packages are reported as not audited and the run does not fail: an audit that
could not happen is said out loud, not passed off as a clean one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

EXPLAINED = Path(__file__).with_name("known-vulnerabilities.txt")


def explained() -> dict[str, str]:
    found = {}
    if EXPLAINED.exists():
        for line in EXPLAINED.read_text(encoding="utf-8").splitlines():
            ident, _, reason = line.partition(" ")
            if ident and not ident.startswith("#"):
                found[ident] = reason.strip()
    return found


def main() -> int:
    run = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--skip-editable", "-f", "json",
         "--progress-spinner", "off"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    try:
        report = json.loads(run.stdout)
    except ValueError:
        print(f"dependency audit: pip-audit gave no report ({run.stderr.strip()[-300:]})")
        return 0
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = [d for d in deps if not d.get("skip_reason")]
    known = explained()
    failures = []
    for dep in audited:
        for vuln in dep.get("vulns", []):
            ids = [vuln["id"], *vuln.get("aliases", [])]
            reason = next((known[i] for i in ids if i in known), None)
            line = f"{dep['name']} {dep['version']}: {vuln['id']}"
            if reason:
                print(f"dependency audit: {line} (explained: {reason})")
            else:
                failures.append(f"{line} fixed in {', '.join(vuln.get('fix_versions', [])) or '?'}")
    print(f"dependency audit: {len(audited)} packages audited, {len(skipped)} not audited")
    if skipped and not audited:
        print("dependency audit: the vulnerability data could not be reached from this machine; "
              "nothing was audited")  # fmt: skip
    for failure in failures:
        print(f"dependency audit: UNEXPLAINED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
