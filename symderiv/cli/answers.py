"""``symderiv check --answers FILE``: grade a file of claimed derivatives, one verdict per answer.

    symderiv check --answers answers.csv --output verdicts.jsonl --jobs 2

The answers are CSV with a header, or JSON Lines, with the fields ``formula`` (the function),
``derivative`` (the claimed derivative), ``variable`` (optional when the formula has one) and
``id`` (optional; the line number otherwise). Each verdict is one JSON line::

    {"id": "7", "verdict": "wrong", "formula": "sigmoid(x)**2", "derivative": "2*sigmoid(x)",
     "variable": "x", "counterexample": "at x = 1.5, yours = …, true = …",
     "departure": "step 1 (chain): …", "explanation": "…"}

``verdict`` is ``right`` (with ``method``: identical, symbolic or numeric), ``wrong`` (with the
counterexample and the step of the derivation where the answer departs, when one is found) or
``error`` (the input could not be read, or the check ran past its budget; with ``error``).

Every answer is checked in a worker process under ``--timeout`` seconds and ``--memory`` MB; with
``--jobs N``, N answers at a time. Verdicts are appended to ``--output`` as they come, in the
order the answers finish, so an interrupted run loses nothing it wrote; run again with the same
output file and the answers already there are skipped. A progress line goes to standard error.
The command exits 1 when any verdict in the output is ``wrong``, 2 when any is ``error``, 0
otherwise. Nothing of the file is evaluated: formulas go through :func:`symderiv.parse`.
"""

from __future__ import annotations

import csv
import io
import json
import stat
import sys
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, Iterator

from ..errors import LimitError, SymderivError
from .options import only_variable

__all__ = ["MAX_ANSWERS", "MAX_FILE_BYTES", "check_answer", "grade", "read_answers"]

#: The largest answers file read, and the most answers in it.
MAX_FILE_BYTES = 20_000_000
MAX_ANSWERS = 100_000
#: The longest formula or derivative read from one answer.
MAX_FIELD_CHARS = 10_000
#: The longest line of an output file read back as a verdict when a run resumes.
_MAX_VERDICT_BYTES = 1_000_000

_FIELDS = ("formula", "derivative", "variable", "id")


def read_answers(path: Path) -> list[dict[str, str]]:
    """The answers of ``path`` (CSV with a header, or JSON Lines), each with an ``id``; a
    :class:`SymderivError` naming the line for anything malformed.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_text("formula,derivative\\nx**2,2*x\\n")
    >>> read_answers(p)
    [{'formula': 'x**2', 'derivative': '2*x', 'variable': '', 'id': '2'}]
    """
    text = _read_text(path, MAX_FILE_BYTES)
    rows = list(_json_lines(text, path) if _is_json_lines(text) else _csv_rows(text, path))
    if not rows:
        raise SymderivError(f"{path}: no answers in the file")
    if len(rows) > MAX_ANSWERS:
        raise LimitError(f"{path}: {len(rows)} answers, more than {MAX_ANSWERS:,}", limit="max_answers")
    seen: set[str] = set()
    for row in rows:
        if row["id"] in seen:
            raise SymderivError(f"{path}: the id {row['id']!r} appears twice")
        seen.add(row["id"])
    return rows


def _read_text(path: Path, limit: int) -> str:
    """The UTF-8 text of the regular file ``path`` (a byte-order mark dropped), read within
    ``limit`` bytes: a device, a pipe or a /proc file that never ends is refused, not read."""
    if not stat.S_ISREG(path.stat().st_mode):
        raise SymderivError(f"{path}: not a regular file (a device, a pipe or a folder cannot hold answers)")
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise SymderivError(f"{path}: cannot be read ({error.strerror or error})") from None
    if len(data) > limit:
        raise LimitError(f"{path}: more than the {limit:,} bytes an answers file may hold", limit="max_file_bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SymderivError(f"{path}, line {line}: not UTF-8 text ({error.reason})") from None


def _is_json_lines(text: str) -> bool:
    return text.lstrip().startswith("{")


def _json_lines(text: str, path: Path) -> Iterator[dict[str, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise SymderivError(f"{path}, line {number}: not JSON ({error.msg})") from None
        except (ValueError, RecursionError) as error:  # a number past Python's digits, nesting past its stack
            raise SymderivError(f"{path}, line {number}: not an answer ({str(error).split(';')[0]})") from None
        if not isinstance(item, dict):
            raise SymderivError(f"{path}, line {number}: an answer is a JSON object")
        yield _answer(item, number, path)


def _csv_rows(text: str, path: Path) -> Iterator[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"formula", "derivative"} - set(reader.fieldnames or ())
    if missing:
        raise SymderivError(f"{path}: the header needs the columns formula and derivative (missing: {', '.join(sorted(missing))})")
    try:
        for row in reader:
            yield _answer(row, reader.line_num, path)
    except csv.Error as error:  # a field past the csv module's own limit, say
        raise SymderivError(f"{path}, line {reader.line_num}: not CSV ({error})") from None


def _answer(item: dict[str, Any], number: int, path: Path) -> dict[str, str]:
    answer: dict[str, str] = {}
    for field in _FIELDS:
        value = item.get(field)
        if value is None or value == "":
            value = str(number) if field == "id" else ""
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise SymderivError(f"{path}, line {number}: {field!r} must be text")
        value = str(value)
        if len(value) > MAX_FIELD_CHARS:
            raise LimitError(f"{path}, line {number}: {field!r} is longer than {MAX_FIELD_CHARS:,} characters",
                             limit="max_field_chars")
        answer[field] = value
    for field in ("formula", "derivative"):
        if not answer[field]:
            raise SymderivError(f"{path}, line {number}: {field!r} is empty")
    return answer


def check_answer(answer: dict[str, str]) -> dict[str, Any]:
    """The verdict on one answer, as the JSON line says it (see the module)."""
    from ..parse.text import parse
    from ..testing.assertions import FormulaMismatchError, assert_derivative

    verdict: dict[str, Any] = {"id": answer["id"], "formula": answer["formula"],
                               "derivative": answer["derivative"], "variable": answer["variable"]}
    try:
        function = parse(answer["formula"])
        claimed = parse(answer["derivative"])
        variable = answer["variable"] or only_variable(
            function, "the formula has the variables {names}: give the answer's variable")
        verdict["variable"] = str(variable)
        agreement = assert_derivative(function, variable, claimed)
    except FormulaMismatchError as error:
        verdict["verdict"] = "wrong"
        if error.counterexample is not None:
            verdict["counterexample"] = error.counterexample.describe()
        if error.departure is not None:
            verdict["departure"] = error.departure.describe()
        verdict["explanation"] = str(error)
        return verdict
    except SymderivError as error:
        return {**verdict, "verdict": "error", "error": str(error)}
    return {**verdict, "verdict": "right", "method": agreement.method}



def _budgeted(answer: dict[str, str], timeout: float, memory_mb: int) -> dict[str, Any]:
    """:func:`check_answer` in a worker of its own, under the budget (in a pool worker)."""
    from ..limits import run_with_budget

    try:
        return run_with_budget(check_answer, answer, timeout=timeout, memory_mb=memory_mb)  # type: ignore[no-any-return]
    except LimitError as error:
        return {"id": answer["id"], "formula": answer["formula"], "derivative": answer["derivative"],
                "variable": answer["variable"], "verdict": "error", "error": str(error)}


def _done(output: Path | None) -> dict[str, str]:
    """The verdicts already in ``output``, by id: what a resumed run skips."""
    if output is None or not output.is_file():  # only a regular file holds earlier verdicts
        return {}
    found: dict[str, str] = {}
    with output.open("rb") as stream:
        while line := stream.readline(_MAX_VERDICT_BYTES):
            try:
                item = json.loads(line)
            except (ValueError, RecursionError):
                # a line cut short by an interruption, or not a verdict: that answer is checked again
                if not line.endswith(b"\n"):
                    stream.readline()  # the rest of a line too long to be a verdict
                continue
            if isinstance(item, dict) and "id" in item and item.get("verdict") in ("right", "wrong", "error"):
                found[str(item["id"])] = str(item["verdict"])
    return found


def _ends_a_line(path: Path) -> bool:
    """``path`` is empty or its last byte ends a line."""
    with path.open("rb") as stream:
        size = stream.seek(0, 2)
        if not size:
            return True
        stream.seek(size - 1)
        return stream.read(1) == b"\n"


def grade(answers: list[dict[str, str]], *, output: Path | None, jobs: int, timeout: float,
          memory_mb: int, progress: Any = None) -> dict[str, int]:
    """Check every answer not yet in ``output``; append each verdict as it comes (to standard
    output without ``output``). Returns the count of each verdict, resumed ones included."""
    done = _done(output)
    todo = [answer for answer in answers if answer["id"] not in done]
    counts = {"right": 0, "wrong": 0, "error": 0}
    for verdict in done.values():
        counts[verdict] = counts.get(verdict, 0) + 1
    sink = output.open("a", encoding="utf-8") if output is not None else sys.stdout
    if sink is None:  # started with standard output closed (>&-)
        raise SymderivError("standard output is closed: give --output FILE for the verdicts")
    if output is not None and output.is_file() and not _ends_a_line(output):
        sink.write("\n")  # after a line an interruption cut short: start a line of our own
    try:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            pending: set[Future[dict[str, Any]]] = set()
            queue = iter(todo)
            finished = 0
            while True:
                while len(pending) < 2 * jobs and (answer := next(queue, None)) is not None:
                    pending.add(pool.submit(_budgeted, answer, timeout, memory_mb))
                if not pending:
                    break
                ready, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in ready:
                    outcome = future.result()
                    sink.write(json.dumps(outcome, ensure_ascii=False) + "\n")
                    sink.flush()
                    counts[outcome["verdict"]] += 1
                    finished += 1
                    if progress is not None:
                        progress(finished, len(todo), len(done))
    finally:
        if output is not None:
            sink.close()
    return counts
