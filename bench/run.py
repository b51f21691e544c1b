"""``make bench``: notes2anki against its floor, measured in the same run on the same machine.

The floor is what any Markdown-to-Anki tool must pay: read every note and parse it with
mistune, nothing else. Every measure is printed in seconds and as a ratio to its floor (these
machines are shared and noisy, so ratios are what compare across runs), with peak memory.
Each measure runs in a fresh Python process; times exclude interpreter start-up except for
the one-file lint, which is compared with a process that only imports mistune. Peak memory is
that of the whole process tree (the main process and its workers, summed as proportional set
sizes, so that pages a forked worker shares with the build are counted once), sampled every 20 ms.

Lint is measured twice: with no cache (``--no-cache``: every note read) and with a warm one.
The corpus lies inside this repository, whose ``pyproject.toml`` gives lint a cache folder.
Then lint's stages in one process (``lint_stages.py``): the floor again, parsing a note as lint
does, the card rules, and the lint rules, each as a ratio to that floor.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

MEASURE = """
import contextlib, io, json, sys, time
sys.argv = ["notes2anki"]
{setup}
start = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    {body}
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds}}))
"""
FLOOR = dict(
    setup="import mistune, pathlib\nmarkdown = mistune.create_markdown(renderer=None, plugins=['table'])",
    body="for path in sorted(pathlib.Path({folder!r}).rglob('*.md')): markdown(path.read_text('utf-8'))",
)
CLI = dict(setup="from notes2anki.cli import main", body="main({arguments!r})")
TARGETS = {
    "lint, no cache": ("floor", 1.3),
    "lint, warm cache": ("floor", None),
    "lint stage: parse": ("lint stage: floor", None),
    "lint stage: cards": ("lint stage: floor", None),
    "lint stage: rules": ("lint stage: floor", None),
    "cold build": ("floor", 1.5),
    "rebuild, nothing changed": ("cold build", 0.03),
    "rebuild, one note edited": ("cold build", 0.1),
    "lint one file (process)": ("import mistune (process)", 2.0),
    "pre-commit, warm cache": ("import mistune (process)", None),
}


MEMORY_TARGET_MIB = 200  # the whole process tree, build and lint alike


def measure(setup: str, body: str, **values) -> dict:
    code = MEASURE.format(setup=setup, body=body.format(**values))
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_pss(process.pid))
        time.sleep(0.02)
    out, err = process.communicate()
    if process.returncode:
        raise RuntimeError(err)
    return {**json.loads(out.splitlines()[-1]), "peak_mib": peak / 2**20}


def tree_pss(root: int) -> int:
    """The proportional set sizes of a process and all its descendants, summed, in bytes (Linux
    /proc); a process whose PSS cannot be read counts its resident size."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(") ", 1)[1].split()
            children.setdefault(int(stat[1]), []).append(int(entry.name))
            rss[int(entry.name)] = int(stat[21]) * 4096
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += proportional(pid, rss.get(pid, 0))
        todo.extend(children.get(pid, ()))
    return total


def proportional(pid: int, rss: int) -> int:
    """A process's proportional set size: pages shared with its forked workers counted once in the sum."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return rss


def lint_stages(folder: Path) -> dict:
    """Where lint's time goes, stage by stage, in one process: what the lint rules cost beyond the parse."""
    command = [sys.executable, str(HERE / "lint_stages.py"), str(folder)]
    stages = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    return {f"lint stage: {stage}": {"seconds": stages[stage]} for stage in ("floor", "parse", "cards", "rules")}


def process_seconds(command: list[str], repeat: int = 5, cwd: Path | None = None) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False, cwd=cwd)
        best = min(best, time.perf_counter() - start)
    return best


def run(count: int) -> dict:
    folder = OUT / f"corpus-{count}"
    build = OUT / f"build-{count}"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(build, ignore_errors=True)
    paths = corpus.write(folder, count)
    size = sum(path.stat().st_size for path in paths)
    results = {"floor": measure(**FLOOR, folder=str(folder))}
    results["lint, no cache"] = measure(**CLI, arguments=["lint", "--no-cache", str(folder)])
    measure(**CLI, arguments=["lint", str(folder)])  # fills the cache
    results["lint, warm cache"] = measure(**CLI, arguments=["lint", str(folder)])
    results.update(lint_stages(folder))
    results["cold build"] = measure(**CLI, arguments=["build", str(folder), "-o", str(build)])
    results["rebuild, nothing changed"] = measure(**CLI, arguments=["build", str(folder), "-o", str(build)])
    with paths[0].open("a", encoding="utf-8") as note:
        note.write("- 追加した問い -> 追加した答え\n")
    results["rebuild, one note edited"] = measure(**CLI, arguments=["build", str(folder), "-o", str(build)])
    python = [sys.executable]
    results["import mistune (process)"] = {"seconds": process_seconds([*python, "-c", "import mistune"])}
    results["lint one file (process)"] = {"seconds": process_seconds([*python, "-m", "notes2anki", "lint", "--no-cache", str(paths[1])])}
    # pre-commit in a project whose notes tree is the corpus: one changed file, the whole tree seen.
    project = OUT / f"project-{count}"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir()
    (project / "pyproject.toml").write_text(f'[tool.notes2anki]\nnotes = ["../corpus-{count}"]\n', "utf-8")
    hook = [*python, "-m", "notes2anki", "lint", str(paths[1].resolve())]
    results["pre-commit, cold cache"] = {"seconds": process_seconds(hook, repeat=1, cwd=project)}
    results["pre-commit, warm cache"] = {"seconds": process_seconds(hook, cwd=project)}
    return {"notes": count, "megabytes": round(size / 1e6, 1), "results": results}


def table(report: dict) -> str:
    results = report["results"]
    lines = [
        f"N = {report['notes']} notes, {report['megabytes']} MB",
        f"  {'measure':28} {'seconds':>8} {'ratio':>7}  {'target':>19} {f'peak MiB ≤ {MEMORY_TARGET_MIB}':>14}",
    ]
    for name, values in results.items():
        ratio, target = "", ""
        if name in TARGETS:
            floor, limit = TARGETS[name]
            value = values["seconds"] / results[floor]["seconds"]
            ratio = f"{value:.2f}"
            if limit is not None:
                target = f"≤ {limit} × {floor.split(' (')[0]}"[:16] + (" ok" if value <= limit else " MISS")
            values["ratio"], values["target"] = round(value, 3), limit
        peak = f"{values['peak_mib']:.0f}" if "peak_mib" in values else ""
        if "peak_mib" in values and name != "floor":
            peak += " ok" if values["peak_mib"] <= MEMORY_TARGET_MIB else " MISS"
        lines.append(f"  {name:28} {values['seconds']:8.2f} {ratio:>7}  {target:>19} {peak:>14}")
    return "\n".join(lines)


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [500, 2000]
    reports = []
    for count in sizes:
        report = run(count)
        reports.append(report)
        print(table(report), flush=True)
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(reports, indent=2), "utf-8")
    print(f"results written to {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
