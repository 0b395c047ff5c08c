"""Regenerates the gRPC code of protos/ into sdk/python/stepway/v1 (python, typing stubs, grpc).

Run: python scripts/gen_protos.py [--out DIR]. tests/test_protos.py fails when the checked-in code
differs from what this produces.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from google.rpc import status_pb2
from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTOS = ROOT / "protos"
TARGET = ROOT / "sdk" / "python"
PACKAGE = Path("stepway") / "v1"


def generate(out: Path) -> None:
    """Writes the generated modules of every proto under protos/ into out/stepway/v1."""
    files = sorted(str(p.relative_to(PROTOS)) for p in (PROTOS / PACKAGE).glob("*.proto"))
    include = str(Path(protoc.__file__).parent / "_proto")
    # google/rpc/status.proto, shipped by googleapis-common-protos.
    googleapis = str(Path(status_pb2.__file__).parent.parent.parent)
    with tempfile.TemporaryDirectory() as tmp:
        code = protoc.main(
            [
                "grpc_tools.protoc",
                f"-I{PROTOS}",
                f"-I{include}",
                f"-I{googleapis}",
                f"--python_out={tmp}",
                f"--pyi_out={tmp}",
                f"--grpc_python_out={tmp}",
                *files,
            ]
        )
        if code != 0:
            raise SystemExit(f"protoc failed with exit code {code}")
        dest = out / PACKAGE
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(Path(tmp) / PACKAGE, dest)
    (dest / "__init__.py").write_text('"""Generated from protos/stepway/v1; do not edit."""\n')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args()
    generate(args.out)
    print(f"generated {args.out / PACKAGE}", file=sys.stderr)


if __name__ == "__main__":
    main()
