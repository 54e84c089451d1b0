"""The README tells the truth: its Python examples run, and its set-up commands are the real ones."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_opens_with_the_two_set_up_commands():
    text = README.read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", text, flags=re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["bash scripts/build.sh", "bash scripts/test.sh"]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci


def test_readme_python_examples_run_in_order():
    namespace: dict = {}
    blocks = python_blocks()
    assert len(blocks) >= 3
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)  # our own README, not user input


def test_readme_links_work_on_the_package_index_too():
    """The README is also the package's page on the index, where a relative link leads nowhere:
    a file of the repository is named (it ships in the sdist, MANIFEST.in), a link is absolute."""
    text = README.read_text(encoding="utf-8")
    relative = [target for target in re.findall(r"\]\(([^)\s]+)\)", text) if not re.match(r"https?://", target)]
    assert not relative, f"relative links in README.md: {relative}"
