"""Hostile command lines: every bad value exits 2 with one message line, fast, without a traceback;
signals end the command cleanly and leave no worker behind.

Each command runs as a real subprocess under RLIMIT_AS (``MEMORY_CAP``) with a wall clock; a
formula error may add the input and a caret under the problem (two more lines).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from processes import alive, descendants

ROOT = Path(__file__).resolve().parent.parent
MEMORY_CAP = 3 * 1024**3  # bytes of address space for the command and, inherited, its workers
SECONDS = 15.0  # each refusal ends well within this

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc (Linux)")


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def symderiv(*args: str, seconds: float = SECONDS, **env: str) -> subprocess.CompletedProcess:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "symderiv", *args], capture_output=True, text=True,
        env=_env(**env), timeout=seconds + 30, preexec_fn=_cap_memory,
    )
    done.elapsed = time.monotonic() - started  # type: ignore[attr-defined]
    return done


def assert_refused(done: subprocess.CompletedProcess, *, lines: int = 1, seconds: float = SECONDS) -> str:
    """Exit 2, ``lines`` lines on stderr, no traceback, within ``seconds``; returns the message."""
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip("\n").splitlines()) == lines, done.stderr
    assert done.elapsed < seconds  # type: ignore[attr-defined]
    return done.stderr


PRODUCT_200 = "*".join(f"sin({k}*x)" for k in range(1, 201))
PRODUCT_40 = "*".join(f"sin({k}*x)" for k in range(1, 41))

# (arguments, lines on stderr, a word the message must hold)
BAD_VALUES: list[tuple[list[str], int, str]] = [
    # --wrt is read as a name, never evaluated: the caret points at the problem
    (["derive", "x**2", "--wrt", "x.real"], 3, "--wrt"),
    (["derive", "x**2", "--wrt", "1x"], 3, "--wrt"),
    (["derive", "x**2", "--wrt", "__import__('os').system('touch CANARY')"], 3, "--wrt"),
    (["derive", "x**2", "--wrt", "pi"], 3, "--wrt"),
    (["derive", "x**2", "--wrt", "x y"], 3, "--wrt"),
    (["derive", "x**2", "--wrt", ""], 3, "--wrt"),
    (["derive", "x**2", "--wrt", "().__class__"], 3, "--wrt"),
    (["check", "2*x", "--derivative-of", "x**2", "--wrt", "x.real"], 3, "--wrt"),
    (["graph", "x**2", "--steps", "--wrt", "exec('1')"], 3, "--wrt"),
    # budget values
    (["derive", "x**2", "--timeout", "inf"], 1, "--timeout"),
    (["derive", "x**2", "--timeout", "nan"], 1, "--timeout"),
    (["derive", "x**2", "--timeout", "-1"], 1, "--timeout"),
    (["derive", "x**2", "--timeout", "1e300"], 1, "--timeout"),
    (["derive", "x**2", "--timeout", "0"], 1, "--timeout"),
    (["derive", "x**2", "--timeout", "soon"], 1, "--timeout"),
    (["graph", "x**2", "--timeout", "-inf"], 1, "--timeout"),
    (["network", "2", "1", "--timeout", "nan"], 1, "--timeout"),
    (["derive", "x**2", "--memory", "0"], 1, "--memory"),
    (["derive", "x**2", "--memory", "1e9"], 1, "--memory"),
    (["derive", "x**2", "--max-output", "-5"], 1, "--max-output"),
    # choices
    (["derive", "x**2", "--format", "pdf"], 1, "--format"),
    (["derive", "x**2", "--lang", "fr"], 1, "--lang"),
    (["derive", "x**2", "--strategy", "magic"], 1, "--strategy"),
    (["graph", "x**2", "--engine", "neato"], 1, "--engine"),
    (["network", "2", "1", "--activation", "sin"], 1, "--activation"),
    # sizes
    (["network", "30", "30", "30"], 1, "max_derive_weights"),
    (["network", "200", "200", "200"], 1, "max_layer_size"),
    (["network", "1000", "1000", "1000"], 1, "max_layer_size"),
    (["network", "50", "50", "50", "--backprop"], 1, "max_weights"),
    (["network", "2", "2", "1", "--samples", "200"], 1, "max_samples"),
    (["network", "99999999999999999999", "2"], 1, "max_layer_size"),
    (["network", *["2"] * 12], 1, "max_derive_layers"),
    (["network", *["2"] * 40], 1, "max_layers"),
    (["network", "8", "8", "4", "--backprop"], 1, "max_backprop_weights"),
    (["network", "2", "2", "1", "--samples", "0"], 1, "samples"),
    (["network", "0", "1"], 1, "unit"),
    (["network", "1e3", "2"], 1, "sizes"),
    (["network", "2", "2", "1", "--weight", "9,9,9"], 1, "layer"),
    (["network", "2", "2", "1", "--weight", "a,b,c"], 1, "three integers"),
    (["derive", PRODUCT_200], 1, "max_product_factors"),
    (["graph", PRODUCT_200], 1, "max_graph_nodes"),
    (["derive", "9**9**9"], 3, "digits"),
    (["derive", "__import__('os').system('touch CANARY')"], 3, "formula"),
    (["graph", "x**2", "--at", "x=__import__('os')"], 3, "formula"),
    (["derive", "sigmoid(x)", "--format", "html", "--max-output", "100"], 1, "max_output_chars"),
    (["derive", PRODUCT_40, "--timeout", "2"], 1, "time budget"),
    (["serve", "--host", "256.256.256.256"], 1, "cannot serve"),
    (["serve", "--host", "127.0.0.1; touch CANARY"], 1, "cannot serve"),
]


@pytest.mark.parametrize("args, lines, word", BAD_VALUES, ids=[" ".join(a)[:60] for a, _, _ in BAD_VALUES])
def test_a_bad_value_exits_2_with_one_message_and_no_traceback(args, lines, word, tmp_path):
    canary = tmp_path / "canary"
    args = [a.replace("CANARY", str(canary)) for a in args]
    message = assert_refused(symderiv(*args), lines=lines)
    assert word in message
    assert not canary.exists()


def test_build_into_an_existing_file_or_an_unwritable_place_exits_2_before_any_work(tmp_path):
    a_file = tmp_path / "taken"
    a_file.write_text("mine")
    done = symderiv("build", "--out", str(a_file))
    assert "is a file" in assert_refused(done)
    assert a_file.read_text() == "mine"
    for place in ("/proc/no/such/folder", "/sys/no/folder"):
        done = symderiv("build", "--out", place)
        assert "--out" in assert_refused(done)
        assert "plot" not in done.stderr and done.stdout == ""  # refused before the first document
        assert not Path(place).exists()


def test_graph_to_an_unwritable_file_exits_2_before_the_table(tmp_path):
    for option, place in (("--svg", "/proc/no/picture.svg"), ("--svg", "/proc/picture.svg"),
                          ("--dot", str(tmp_path / "missing" / "g.dot")), ("--dot", str(tmp_path))):
        done = symderiv("graph", "x**2", option, place)
        message = assert_refused(done)
        assert option in message and repr(place) in message
        assert done.stdout == ""  # nothing is computed for a destination that cannot take it
    assert list(tmp_path.iterdir()) == []  # the probe leaves nothing behind
    done = symderiv("graph", "x**2", "--dot", str(tmp_path / "g.dot"))
    assert done.returncode == 0 and (tmp_path / "g.dot").read_text().startswith("digraph")


def test_check_answers_to_an_unwritable_output_exits_2(tmp_path):
    answers = tmp_path / "answers.csv"
    answers.write_text("formula,derivative\nx**2,2*x\n")
    done = symderiv("check", "--answers", str(answers), "--output", str(tmp_path / "no" / "v.jsonl"))
    assert "--output" in assert_refused(done)


def test_an_ascii_terminal_gets_japanese_as_escapes_not_a_traceback():
    done = symderiv("derive", "sin(x)", "--lang", "ja", PYTHONIOENCODING="ascii")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "\\u306e" in done.stdout  # の, as the escape the output can carry
    assert done.stdout.isascii()


def test_a_derivation_within_budget_still_prints_in_full():
    done = symderiv("derive", "1/(1+exp(-x))")
    assert done.returncode == 0, done.stderr
    assert "σ(x)⋅(1 - σ(x))" in done.stdout or "(1 - σ(x))⋅σ(x)" in done.stdout


# --- Signals ------------------------------------------------------------------------------------

def _processor_seconds(pid: int) -> float:
    """Processor time ``pid`` has used so far (/proc/PID/stat: utime + stime)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _slow_command() -> tuple[subprocess.Popen, set[int]]:
    """``symderiv derive`` of a 40-factor product as HTML: many seconds of work. The command
    sets its budget on its own process and starts no worker for it; any process it did start
    (the parser's, for a formula slow to build) is returned, to be checked for leftovers."""
    command = subprocess.Popen(
        [sys.executable, "-m", "symderiv", "derive", PRODUCT_40, "--format", "html", "--timeout", "300"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), preexec_fn=_cap_memory,
    )
    deadline = time.monotonic() + 20
    workers: set[int] = set()
    while time.monotonic() < deadline and _processor_seconds(command.pid) < 2.5:  # past its imports
        time.sleep(0.1)
        workers |= descendants(command.pid)
    assert command.poll() is None, "the command ended before it could be interrupted"
    return command, workers


def _gone_within(workers: set[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in workers):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _clean_up(command: subprocess.Popen, workers: set[int]) -> None:
    command.kill()
    command.communicate()
    for pid in workers:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_ctrl_c_exits_130_with_one_line_and_no_worker_left():
    command, workers = _slow_command()
    try:
        command.send_signal(signal.SIGINT)
        _, err = command.communicate(timeout=10)
        assert command.returncode == 130
        assert err.strip() == "symderiv: interrupted"
        assert _gone_within(workers, 1.0)
    finally:
        _clean_up(command, workers)


def test_sigterm_exits_143_and_no_worker_is_left():
    command, workers = _slow_command()
    try:
        command.send_signal(signal.SIGTERM)
        _, err = command.communicate(timeout=10)
        assert command.returncode == 143
        assert "Traceback" not in err
        assert _gone_within(workers, 1.0)
    finally:
        _clean_up(command, workers)


def test_sigkill_of_the_command_takes_its_workers_within_a_second():
    command, workers = _slow_command()
    try:
        command.kill()
        command.wait(timeout=10)
        assert _gone_within(workers, 1.0), f"workers {workers} outlived the command"
    finally:
        _clean_up(command, workers)


def _with_argument(marker: str) -> set[int]:
    """Live processes whose command line holds ``marker`` (a forked worker keeps its parent's)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    if marker.encode() in cmdline.read().split(b"\0") and alive(int(entry)):
                        found.add(int(entry))
            except OSError:
                continue
    return found


def test_a_callers_subprocess_timeout_leaves_no_worker():
    marker = str(3_000_000 + time.time_ns() % 1_000_000)  # a --max-output only this run uses
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-m", "symderiv", "derive", PRODUCT_40, "--format", "html",
                        "--timeout", "300", "--max-output", marker], capture_output=True, env=_env(),
                       timeout=4, preexec_fn=_cap_memory)
    assert time.monotonic() - started < 6
    deadline = time.monotonic() + 1.0
    while (left := _with_argument(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers {left} outlived the command"


# --- Closed streams, and answers files that are not what they claim ---------------------------------

def _shell(command: str, seconds: float = SECONDS) -> subprocess.CompletedProcess:
    """``command`` run by bash with ``$SYMDERIV`` the command line, under the same caps."""
    started = time.monotonic()
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=seconds + 30,
                          env=_env(SYMDERIV=f"{sys.executable} -m symderiv"), preexec_fn=_cap_memory)
    done.elapsed = time.monotonic() - started  # type: ignore[attr-defined]
    return done


def test_a_closed_standard_output_exits_2_with_one_line():
    message = assert_refused(_shell("exec $SYMDERIV derive 'sin(x)' >&-"))
    assert "standard output is closed" in message


def test_a_closed_standard_input_for_dash_exits_2_with_one_line():
    message = assert_refused(_shell("exec $SYMDERIV derive - <&-"))
    assert "standard input" in message and "closed" in message


ANSWER_FILES: list[tuple[str, bytes, str]] = [
    ("not UTF-8", b"formula,derivative\nx**2,2*x\n\xff\xfe,1\n", "line 3: not UTF-8"),
    ("a CSV field past the csv module's limit", b"formula,derivative\n" + b"x" * 200_000 + b",1\n", "not CSV"),
    ("JSON nested past the stack", b'{"formula":' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", "line 1: not an answer"),
    ("a JSON number of 5000 digits", b'{"formula": ' + b"9" * 5000 + b', "derivative": "1"}\n', "line 1: not an answer"),
    ("a header and no answers", b"formula,derivative\n", "no answers"),
]


@pytest.mark.parametrize("content, word", [(c, w) for _, c, w in ANSWER_FILES], ids=[n for n, _, _ in ANSWER_FILES])
def test_a_malformed_answers_file_exits_2_naming_the_file(content, word, tmp_path):
    answers = tmp_path / "answers"
    answers.write_bytes(content)
    message = assert_refused(symderiv("check", "--answers", str(answers)))
    assert str(answers) in message and word in message


def test_an_answers_file_saved_with_a_byte_order_mark_is_read(tmp_path):
    answers = tmp_path / "answers.csv"
    answers.write_bytes(b"\xef\xbb\xbfformula,derivative\nx**2,2*x\n")  # as a spreadsheet saves it
    done = symderiv("check", "--answers", str(answers))
    assert done.returncode == 0, done.stderr
    assert '"verdict": "right"' in done.stdout


@pytest.mark.parametrize("where", ["/dev/zero", "fifo", "folder"])
def test_an_answers_file_that_never_ends_or_is_not_a_file_is_refused_before_reading(where, tmp_path):
    """/dev/zero would fill the memory, a pipe with no writer would wait for ever."""
    path = {"/dev/zero": "/dev/zero", "fifo": str(tmp_path / "fifo"), "folder": str(tmp_path)}[where]
    if where == "fifo":
        os.mkfifo(path)
    message = assert_refused(symderiv("check", "--answers", path))
    assert "not a regular file" in message


@pytest.mark.parametrize("earlier", [b"[" * 200_000 + b"\n", b"\xff\xfe not text\n", None],
                         ids=["nested past the stack", "not UTF-8", "/dev/zero"])
def test_an_output_file_that_holds_no_verdicts_is_written_after_not_read_as_them(earlier, tmp_path):
    answers = tmp_path / "answers.csv"
    answers.write_text("formula,derivative\nx**2,2*x\n")
    output = "/dev/zero" if earlier is None else str(tmp_path / "verdicts.jsonl")
    if earlier is not None:
        Path(output).write_bytes(earlier)
    done = symderiv("check", "--answers", str(answers), "--output", output)
    assert done.returncode == 0, done.stderr
    assert "1 right" in done.stderr and "Traceback" not in done.stderr
    if earlier is not None:
        last = json.loads(Path(output).read_bytes().splitlines()[-1])
        assert (last["id"], last["verdict"]) == ("2", "right")


def test_serve_on_a_port_already_taken_exits_2_with_one_line_before_starting_workers():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = symderiv("serve", "--port", str(port))
    assert f"cannot serve on 127.0.0.1:{port}" in assert_refused(done)
