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
