"""The generated gRPC code checked in under sdk/python/stepway/v1 (and stepway/internal/v1, the
gateway-to-shard service) is exactly what protos/ gives, and the protos pass `buf lint`
(buf.yaml: the STANDARD and COMMENTS rules)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "sdk" / "python" / "stepway" / "v1"
INTERNAL = Path("internal") / "v1"
SCRIPT = ROOT / "scripts" / "gen_protos.py"
REGENERATE = "python scripts/gen_protos.py"
BUF = ROOT / "node_modules" / ".bin" / "buf"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _differences(checked_in: Path, fresh: Path) -> list[str]:
    """One line per file that is missing, extra, or different in checked_in."""
    ours, theirs = _files(checked_in), _files(fresh)
    problems = [f"{name}: missing from the checkout" for name in sorted(theirs.keys() - ours)]
    problems += [f"{name}: not produced from protos/" for name in sorted(ours.keys() - theirs)]
    problems += [
        f"{name}: differs from the generated code"
        for name in sorted(ours.keys() & theirs.keys())
        if ours[name] != theirs[name]
    ]
    return problems


def _generate(out: Path) -> Path:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{REGENERATE} failed:\n{done.stderr}"
    return out / "stepway" / "v1"


def _report(problems: list[str]) -> str:
    lines = "\n".join(f"  sdk/python/stepway/v1/{p}" for p in problems)
    return f"the generated gRPC code is stale:\n{lines}\nregenerate it with: {REGENERATE}"


def test_checked_in_grpc_code_is_what_the_protos_generate(tmp_path: Path) -> None:
    fresh = _generate(tmp_path)
    problems = _differences(GENERATED, fresh)
    assert not problems, _report(problems)


def test_checked_in_internal_service_code_is_what_its_proto_generates(tmp_path: Path) -> None:
    _generate(tmp_path)
    fresh = tmp_path / "stepway" / INTERNAL
    problems = _differences(GENERATED.parent / INTERNAL, fresh)
    assert not problems, f"{problems}: regenerate it with: {REGENERATE}"


def test_a_stale_generated_file_is_reported_by_name_with_the_command_to_regenerate(
    tmp_path: Path,
) -> None:
    fresh = _generate(tmp_path / "fresh")
    stale = tmp_path / "stale"
    shutil.copytree(fresh, stale)
    (stale / "common_pb2.py").write_bytes((fresh / "common_pb2.py").read_bytes() + b"# edited\n")
    (stale / "workflow_service_pb2_grpc.py").unlink()
    problems = _differences(stale, fresh)
    assert problems == [
        "workflow_service_pb2_grpc.py: missing from the checkout",
        "common_pb2.py: differs from the generated code",
    ]
    message = _report(problems)
    assert "sdk/python/stepway/v1/common_pb2.py" in message
    assert REGENERATE in message


@pytest.mark.skipif(
    not BUF.exists(),
    reason="buf is not installed: run `npm ci` at the repository root (CI runs `npx buf lint`)",
)
def test_every_proto_element_is_documented_and_buf_lint_passes() -> None:
    done = subprocess.run(
        ["npx", "--no-install", "buf", "lint"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"npx buf lint failed:\n{done.stdout}{done.stderr}"
