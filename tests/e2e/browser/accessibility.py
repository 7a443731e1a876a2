"""axe-core in the browser tests: `assert_accessible(page)` runs the npm package's axe (deploy/npm, installed by
deploy/local/install.sh) on the page as it stands and fails on every serious or critical violation, naming
the rule, what it asks for and where. Any browser test may call it; it needs nothing but a Playwright page."""
from __future__ import annotations

import os
from pathlib import Path

AXE = Path(os.environ.get("PORTICO_CACHE", Path.home() / ".cache" / "portico")) / "npm" / "node_modules" / \
    "axe-core" / "axe.min.js"
SEVERE = ("serious", "critical")
_RUN = """async (options) => {
  const result = await window.axe.run(document, options);
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160)}))}));
}"""


def violations(page, disable: tuple[str, ...] = ()) -> list[dict]:
    """axe's serious and critical violations on the page (rules in `disable` left out)."""
    assert AXE.exists(), f"axe-core is missing at {AXE}: run deploy/local/install.sh (it installs deploy/npm)"
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # evaluate() runs over the DevTools protocol, so the page's Content-Security-Policy (script-src 'self')
        # neither blocks it nor has to be loosened for the tests.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": False} for rule in disable}}
    return [v for v in page.evaluate(_RUN, options) if v["impact"] in SEVERE]


def describe(found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['impact']}: {v['id']} ({v['help']})")
        lines += [f"    at {n['target']}: {n['html']}" for n in v["nodes"]]
    return "\n".join(lines)


def assert_accessible(page, disable: tuple[str, ...] = ()) -> None:
    """Fail, naming each rule and element, if axe finds a serious or critical violation on the page."""
    found = violations(page, disable)
    assert not found, f"axe-core found {len(found)} serious or critical violation(s) on {page.url}:\n{describe(found)}"
