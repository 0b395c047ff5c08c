"""The subset of kustomize that deploy/kubernetes uses, so that tests render the base and the
overlays without the kustomize binary (it is not on PyPI, npm or Debian): `resources` (files
and directories holding a kustomization.yaml), `namespace`, `images` (newName, newTag) and
`patches` by `path` (strategic merge: maps merge, lists of named items merge by name, other
lists are replaced). Anything else in a kustomization.yaml is refused, so a manifest cannot use
a feature this renderer would silently skip. Where kubectl is installed, a test checks that it
renders the same documents."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

KNOWN = {"apiVersion", "kind", "resources", "namespace", "images", "patches"}


def render(directory: Path) -> list[dict[str, Any]]:
    """The documents `kustomize build directory` prints, in the order resources name them."""
    spec = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unknown = set(spec) - KNOWN
    if unknown:
        raise ValueError(f"{directory}: kustomization keys this renderer lacks: {unknown}")
    documents: list[dict[str, Any]] = []
    for resource in spec.get("resources", []):
        path = directory / resource
        if path.is_dir():
            documents.extend(render(path))
        else:
            documents.extend(d for d in yaml.safe_load_all(path.read_text()) if d)
    for patch in spec.get("patches", []):
        if set(patch) != {"path"}:
            raise ValueError(f"{directory}: only patches by path are supported: {patch}")
        for change in yaml.safe_load_all((directory / patch["path"]).read_text()):
            target = _find(documents, change["kind"], change["metadata"]["name"])
            merged = merge(target, change)
            documents[documents.index(target)] = merged
    for image in spec.get("images", []):
        for document in documents:
            for container in _containers(document):
                name, _, _tag = container["image"].partition(":")
                if name == image["name"]:
                    container["image"] = f"{image.get('newName', name)}:{image['newTag']}"
    if "namespace" in spec:
        for document in documents:
            document["metadata"]["namespace"] = spec["namespace"]
    return documents


def merge(base: Any, change: Any) -> Any:
    """A strategic merge of change into base, for the patch shapes deploy/kubernetes uses."""
    if isinstance(base, dict) and isinstance(change, dict):
        merged = copy.deepcopy(base)
        for key, value in change.items():
            merged[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    if isinstance(base, list) and isinstance(change, list) and _named(base) and _named(change):
        merged_list = copy.deepcopy(base)
        names = [item["name"] for item in merged_list]
        for item in change:
            if item["name"] in names:
                i = names.index(item["name"])
                merged_list[i] = merge(merged_list[i], item)
            else:
                merged_list.append(copy.deepcopy(item))
        return merged_list
    return copy.deepcopy(change)


def _named(items: list[Any]) -> bool:
    return all(isinstance(i, dict) and "name" in i for i in items)


def _find(documents: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    for document in documents:
        if document["kind"] == kind and document["metadata"]["name"] == name:
            return document
    raise ValueError(f"a patch names {kind}/{name}, which no resource defines")


def _containers(document: dict[str, Any]) -> list[dict[str, Any]]:
    pod = document.get("spec", {}).get("template", {}).get("spec", {})
    return [*pod.get("containers", []), *pod.get("initContainers", [])]
