"""Words users read say the rule in plain English: no page cites our sources ("(seed 000)")."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Template comments ({# … #} and {% comment %}) are for us, not for the people reading the page.
COMMENTS = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
CITATION = re.compile(r"\bseeds?\s+00[0-4]\b|\(00[0-4](?:[,\s§][^)]*)?\)|§\s*\d", re.I)


def test_no_template_cites_a_source():
    cited = []
    for template in sorted((ROOT / "templates").rglob("*.*")):
        text = COMMENTS.sub("", template.read_text(encoding="utf-8"))
        for number, line in enumerate(text.splitlines(), 1):
            if CITATION.search(line):
                cited.append(f"{template.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert not cited, "Pages cite our sources:\n" + "\n".join(cited)


def test_no_fixture_cites_a_source():
    """The shipped reference data (timescales, meeting types, codes) is read in the admin pages
    and beside due dates."""
    cited = []
    for fixture in sorted((ROOT / "fixtures").glob("*.json")):
        for number, line in enumerate(fixture.read_text(encoding="utf-8").splitlines(), 1):
            if CITATION.search(line) or re.search(r"\bseeds?\b", line, re.I):
                cited.append(f"{fixture.name}:{number}: {line.strip()[:120]}")
    assert not cited, "Reference data cites our sources:\n" + "\n".join(cited)


def _docstrings(tree) -> set[int]:
    import ast

    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def test_no_message_in_the_code_cites_a_source():
    """Every text in the code that is not a docstring or a comment may reach a user (an error
    beside a field, a notification, a page's words): none cites our sources."""
    import ast

    cited = []
    for app in ("permanence", "forums", "reviews", "tracker"):
        for module in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in module.parts:
                continue
            tree = ast.parse(module.read_text(encoding="utf-8"))
            skip = _docstrings(tree)
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in skip
                    and CITATION.search(node.value)
                ):
                    cited.append(f"{module.relative_to(ROOT)}:{node.lineno}: {node.value[:100]}")
    assert not cited, "Messages cite our sources:\n" + "\n".join(cited)
