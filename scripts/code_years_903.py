"""Which SSDA903 codes the DfE validator accepts in which collection year, beside our code lists.

Run with the validator's own Python (it pins pandas < 2, so it lives in .venv-903):

    .venv-903/bin/python scripts/code_years_903.py [fixtures/ssda903_codes.json]

It reads each year's ruleset of csc-validator-be-903 (2022-23 to 2026-27, the years it knows):
for every code list we hold, the rule that says "not a valid code" and the codes that rule
accepts. It prints, as JSON, each list's codes by year and every difference from the years our
fixture gives each code (`introduced_in`, `retired_from`), and exits 1 when there is one. Only
the facts are taken from the validator; years before 2022-23 are not in it, and our fixture
takes them to have the 2022-23 lists.
"""

from __future__ import annotations

import ast
import importlib
import json
import sys
from pathlib import Path

# Our list name -> the validator's rule that refuses a code not in it.
RULES = {
    "SEX": "101",
    "ETHNIC": "103",
    "RNE": "143",
    "LS": "144",
    "CIN": "145",
    "PLACE": "146",
    "REC": "149",
    "REVIEW_CODE": "167",
    "PLACE_PROVIDER": "178",
    "REASON_PLACE_CHANGE": "1009",
    "REASON_PLACED_CEASED": "120",
    "SW_REASON": "SW13STG1",
}
# The collection years the validator knows, named by the year they end.
YEARS = (2023, 2024, 2025, 2026, 2027)
FIRST_YEAR_HELD = 2018  # 2017-18


def _accepted(rule_code: str, end_year: int) -> set[str] | None:
    """The codes the year's version of the rule accepts (the first list of strings in it), or
    None when the rule is not in that year's ruleset."""
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    rule = get_year_ruleset(str(end_year)).get(rule_code)
    if rule is None:
        return None
    source = Path(sys.modules[rule.func.__module__].__file__).read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == "validate":
            for item in ast.walk(node):
                if isinstance(item, ast.List) and len(item.elts) > 1:
                    values = [getattr(e, "value", None) for e in item.elts]
                    if all(isinstance(v, str) for v in values):
                        # Lower-case entries are the validator's typos ("k3" in 2024-25): a
                        # return's upper-case code never matches them, so they accept nothing.
                        return {v for v in values if v == v.upper()}
    return set()


def validator_years() -> dict[str, dict[int, list[str]]]:
    importlib.import_module("lac_validator")
    found: dict[str, dict[int, list[str]]] = {}
    for list_name, rule_code in RULES.items():
        for end_year in YEARS:
            codes = _accepted(rule_code, end_year)
            if codes is not None:
                found.setdefault(list_name, {})[end_year] = sorted(codes)
    return found


def _fixture_valid(row: dict, end_year: int) -> bool:
    introduced, retired = row.get("introduced_in"), row.get("retired_from")
    return (introduced is None or end_year >= introduced) and (
        retired is None or end_year < retired
    )


def differences(fixture: list[dict], found: dict[str, dict[int, list[str]]]) -> list[str]:
    held = {(r["list"], r["code"]): r for r in fixture}
    problems = []
    for list_name, by_year in found.items():
        codes = {c for year_codes in by_year.values() for c in year_codes}
        codes |= {code for (name, code) in held if name == list_name}
        for code in sorted(codes):
            row = held.get((list_name, code))
            for end_year in YEARS:
                # A year the validator does not collect the list in (SWEpisodes before 2023-24):
                # ours must not accept the code then either.
                dfe = code in by_year.get(end_year, ())
                ours = row is not None and _fixture_valid(row, end_year)
                if dfe != ours:
                    problems.append(
                        f"{list_name} {code} in {end_year - 1}-{str(end_year)[2:]}: the DfE "
                        f"validator {'accepts' if dfe else 'refuses'} it (rule "
                        f"{RULES[list_name]}), our fixture {'accepts' if ours else 'refuses'} it"
                    )
    return problems


def main(argv: list[str]) -> int:
    path = (
        Path(argv[0])
        if argv
        else Path(__file__).resolve().parent.parent / "fixtures" / ("ssda903_codes.json")
    )
    fixture = json.loads(path.read_text(encoding="utf-8"))
    found = validator_years()
    problems = differences(fixture, found)
    print(json.dumps({"years": found, "differences": problems}, indent=1))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
