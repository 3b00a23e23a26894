"""Check a folder of SSDA903 CSVs against the DfE's rules with csc-validator-be-903.

Run it with the validator's own interpreter (it pins pandas < 2, so it lives in .venv-903, never
in the product's .venv):

    .venv-903/bin/python scripts/validate_903.py EXPORT_DIR --year 2027 --la E06000051 \
        [--previous LAST_YEARS_EXPORT_DIR]

--year is the year the collection ends (2027 for 2026-27); --la the authority's long-form
(upper-tier) local authority code, which the rules use to tell placements in and out of the
authority. With --previous, last year's tables are loaded too and the rules that compare the two
years run as well.

Exit status: 0 when no rule flags anything; 1 when any rule flags a row, or when a rule crashes
that is not one of the validator's own known defects listed in KNOWN_DEFECTS; 2 when the
validator is not installed or the folder cannot be read.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import sys
from pathlib import Path

# Rules that raise an exception in csc-validator-be-903 0.1.17 whatever the data, because they
# read a column the validator itself never creates. They check nothing; say so, but they cannot
# fail an export. Any other rule that crashes fails the run.
KNOWN_DEFECTS = {
    "231": "reads Header.UASC_STATUS, a column the validator never creates",
    "233": "reads Episodes.DATE_EPISODE_CEASED, a column the validator never creates",
    "709": "reads Episodes.PLACEMENT (the column is PLACE); only runs with a DoLo table",
    "710": "reads Episodes.PLACEMENT (the column is PLACE); only runs with a DoLo table",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="Folder holding the return's CSV files")
    parser.add_argument("--year", required=True, help="Year the collection ends, e.g. 2027")
    parser.add_argument("--la", required=True, help="Long-form LA code, e.g. E06000051")
    parser.add_argument("--previous", type=Path, help="Folder holding last year's CSV files")
    parser.add_argument(
        "--max-rows", type=int, default=200, help="How many flagged rows to list (default 200)"
    )
    args = parser.parse_args(argv)

    if not (len(args.year) == 4 and args.year.isdigit()):
        print(f"--year must be the 4-digit year the collection ends, not {args.year}")
        return 2
    try:
        import pandas as pd
        from lac_validator.lac_validator import LacValidator, create_issue_df
        from lac_validator.report import Report
        from lac_validator.rules.ruleset_utils import get_year_ruleset
        from lac_validator.utils import process_uploaded_files
    except ImportError as exc:
        print(f"The DfE validator is not installed here ({exc}): run `make validate-903`.")
        return 2

    this_year = sorted(str(p) for p in args.folder.glob("*.csv"))
    if not this_year:
        print(f"No CSV files in {args.folder}")
        return 2
    uploads = {"This year": this_year}
    if args.previous:
        uploads["Prev year"] = sorted(str(p) for p in args.previous.glob("*.csv"))

    # The validator logs every rule, and a traceback for each rule that crashes, and some rules
    # print: this script reports the crashes itself, so keep the output to the findings.
    logging.disable(logging.ERROR)
    registry = get_year_ruleset(args.year)
    with contextlib.redirect_stdout(io.StringIO()):
        validator = LacValidator(
            metadata={"collectionYear": args.year, "localAuthority": args.la},
            files=process_uploaded_files(uploads),
            registry=registry,
            selected_rules=None,
        )
    report = Report(validator.ds_results, registry)

    start, end = f"01/04/{int(args.year) - 1}", f"31/03/{args.year}"
    print(f"SSDA903 collection year {start} to {end}, local authority {args.la}")
    for name, table in sorted(validator.dfs.items()):
        if hasattr(table, "shape"):
            print(f"  {name}: {table.shape[0]} rows")
    print(
        f"{len(registry)} rules: {len(validator.dones)} ran, {len(validator.skips)} skipped "
        f"(their tables were not given), {len(validator.fails)} crashed"
    )

    failed = False
    for code in validator.fails:
        if code in KNOWN_DEFECTS:
            print(f"  rule {code} crashed: a known defect of the validator ({KNOWN_DEFECTS[code]})")
        else:
            print(f"  rule {code} crashed on this data: FAIL")
            failed = True

    summary = report.error_summary
    flagged = summary[summary["Error Count"] > 0]
    if flagged.empty:
        print("No errors.")
    else:
        failed = True
        total = int(flagged["Error Count"].sum())
        print(f"{total} errors under {len(flagged)} rules:")
        for _, rule in flagged.iterrows():
            print(
                f"  {rule['Code']}: {int(rule['Error Count'])} x {rule['Error Description']}"
                f" [{rule['Affected Fields']}]"
            )
        issues = create_issue_df(report.report, report.error_report)
        issues = issues.drop_duplicates(["child_id", "tables_affected", "row_id", "rule_code"])
        # The validator counts data rows from 0; a spreadsheet shows the headings as row 1.
        issues["row"] = issues["row_id"].astype(int) + 2
        issues = issues.rename(
            columns={
                "rule_code": "rule",
                "child_id": "CHILD",
                "tables_affected": "table",
                "columns_affected": "columns",
            }
        )
        with pd.option_context("display.width", 200, "display.max_colwidth", 80):
            print(f"Rows flagged (the first {args.max_rows}; row 1 of each file is its headings):")
            print(
                issues[["rule", "CHILD", "table", "row", "columns"]]
                .head(args.max_rows)
                .to_string(index=False)
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
