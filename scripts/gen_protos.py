"""Regenerates the gRPC code of protos/ into sdk/python/stepway/v1 (the public API) and
sdk/python/stepway/internal/v1 (the gateway-to-shard service): python, typing stubs, grpc.

Run: python scripts/gen_protos.py [--out DIR]. tests/protocol/test_protos.py fails when the
checked-in code differs from what this produces.
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
INTERNAL = Path("stepway") / "internal" / "v1"
PACKAGES = (PACKAGE, INTERNAL)


def generate(out: Path) -> None:
    """Writes the generated modules of every proto under protos/ into out/stepway/v1 and
    out/stepway/internal/v1."""
    protos = [p for package in PACKAGES for p in (PROTOS / package).glob("*.proto")]
    files = sorted(str(p.relative_to(PROTOS)) for p in protos)
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
        for package in PACKAGES:
            dest = out / package
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(Path(tmp) / package, dest)
            docstring = f'"""Generated from protos/{package.as_posix()}; do not edit."""\n'
            (dest / "__init__.py").write_text(docstring)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args()
    generate(args.out)
    for package in PACKAGES:
        print(f"generated {args.out / package}", file=sys.stderr)


if __name__ == "__main__":
    main()
