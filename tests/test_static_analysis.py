"""Static analysis (issue 7): bandit and the project's semgrep rules find nothing unexplained in the
code, and every semgrep rule flags the sample written to break it (and nothing else in it)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RULES = ROOT / "semgrep" / "ysi-rules.yml"
SAMPLES = ROOT / "semgrep" / "samples"
CODE = ["incidents", "ysi"]
SCANNED = [*CODE, "templates"]  # semgrep reads the templates too
RULE_IDS = [rule["id"] for rule in yaml.safe_load(RULES.read_text())["rules"]]


def semgrep(*targets: str) -> dict:
    result = subprocess.run(
        [
            str(BIN / "semgrep"),
            "scan",
            "--metrics=off",
            "--disable-version-check",
            "--quiet",
            "--json",
            "--config",
            str(RULES),
            *targets,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    output = json.loads(result.stdout)
    assert output["errors"] == [], output["errors"]
    return output


@pytest.fixture(scope="module")
def findings() -> dict[str, set[tuple[str, int]]]:
    """One semgrep run over the code and the samples: {rule id: {(path, line)}}."""
    found: dict[str, set[tuple[str, int]]] = {}
    for result in semgrep(*SCANNED, str(SAMPLES.relative_to(ROOT)))["results"]:
        rule = result["check_id"].rsplit(".", 1)[-1]
        found.setdefault(rule, set()).add((result["path"], result["start"]["line"]))
    return found


def expected_in_samples(rule: str) -> set[tuple[str, int]]:
    """The line after each `# ruleid: <rule>` comment in the samples is a finding the rule must make."""
    expected = set()
    for sample in [*SAMPLES.rglob("*.py"), *SAMPLES.rglob("*.html")]:
        lines = sample.read_text().splitlines()
        for number, line in enumerate(lines, start=1):
            if line.strip() in (f"# ruleid: {rule}", f"{{# ruleid: {rule} #}}"):
                expected.add((str(sample.relative_to(ROOT)), number + 1))
    return expected


def test_the_rules_are_a_local_file_and_never_the_registry():
    makefile = (ROOT / "Makefile").read_text()
    assert "--metrics=off" in makefile and "--config semgrep/ysi-rules.yml incidents ysi templates" in makefile
    assert not re.search(r"--config\s+(p/|r/|auto)", makefile)


@pytest.mark.parametrize("rule", RULE_IDS)
def test_each_rule_flags_exactly_what_its_sample_marks(findings, rule):
    expected = expected_in_samples(rule)
    assert expected, f"{rule} has no sample under semgrep/samples/"
    in_samples = {hit for hit in findings.get(rule, set()) if hit[0].startswith("semgrep/samples/")}
    assert in_samples == expected


def test_semgrep_finds_nothing_in_the_code(findings):
    in_code = {rule: hits for rule, hits in findings.items() if any(not p.startswith("semgrep/") for p, _ in hits)}
    assert in_code == {}


def test_bandit_finds_nothing_in_the_code():
    result = subprocess.run(
        [str(BIN / "bandit"), "-c", "pyproject.toml", "-r", *CODE, "-f", "json", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    assert [(r["filename"], r["line_number"], r["test_id"]) for r in report["results"]] == []
    assert result.returncode == 0


def test_bandit_would_report_an_unexplained_finding(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import subprocess\n\n\ndef run(command):\n    return subprocess.call(command, shell=True)\n")

    result = subprocess.run(
        [str(BIN / "bandit"), "-c", str(ROOT / "pyproject.toml"), "-f", "json", "-q", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert "B602" in {r["test_id"] for r in json.loads(result.stdout)["results"]}


def suppressions(marker: str) -> list[tuple[str, int, str]]:
    found = []
    sources = [p for part in CODE for p in (ROOT / part).rglob("*.py")] + list((ROOT / "templates").rglob("*.html"))
    for module in sources:
        for number, line in enumerate(module.read_text().splitlines(), start=1):
            if marker in line:
                found.append((str(module.relative_to(ROOT)), number, line.split(marker, 1)[1]))
    return found


def test_every_nosec_names_its_test_and_gives_a_reason():
    # `# nosec B105 # reason`: bandit reads the ids up to the next '#', the reason follows it.
    for path, number, rest in suppressions("# nosec"):
        assert re.match(r"^ B\d{3}( B\d{3})* # \S.{5,}", rest), f"{path}:{number}: nosec without test id and reason"


def test_every_nosemgrep_names_its_rule_and_gives_a_reason():
    for path, number, rest in suppressions("# nosemgrep"):
        match = re.match(r"^: (ysi-[a-z-]+) - \S.{5,}", rest)
        assert match, f"{path}:{number}: nosemgrep without rule id and reason"
        assert match.group(1) in RULE_IDS, f"{path}:{number}: unknown rule {match.group(1)}"


def test_security_md_points_at_files_that_exist():
    text = (ROOT / "SECURITY.md").read_text()
    named = set(re.findall(r"`?((?:tests|deploy|incidents|ysi|semgrep)/[\w./-]+\.(?:py|yml))`?", text))
    named |= {"deploy/backup", "semgrep/ysi-rules.yml"}
    assert named
    assert [path for path in sorted(named) if not (ROOT / path).exists()] == []
