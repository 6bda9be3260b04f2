#!/usr/bin/env python3
"""Declares the public symbols a build reported as RS0016 in a project's PublicAPI.Unshipped.txt.

`dotnet format analyzers --diagnostics RS0016` applies PublicApiAnalyzers' code fix to the sources it loads, but
not to the files protoc writes under obj/ during the build (SharpFlow's Tensorflow.* message classes), so their
symbols stay undeclared. The analyzer puts the exact line its code fix would write into each RS0016 diagnostic
(the property APIName; ApiNamesOfSiblingsToRemove lists lines the fix would drop). This script reads those from the
SARIF log of a build (-p:ErrorLog=FILE.sarif%2Cversion=2.1) and does what the code fix does: adds each line to
PublicAPI.Unshipped.txt of the project whose sources reported it, drops the siblings, and keeps the file in the
fix's order (case-insensitive, then ordinal).

usage: declare-from-sarif.py BUILD.sarif PROJECT_DIR [PROJECT_DIR ...]
"""
import json
import os
import sys
from urllib.parse import unquote, urlparse


def order(line):
    return (line.upper(), line)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    log = json.load(open(sys.argv[1], encoding="utf-8"))
    projects = [os.path.abspath(p) for p in sys.argv[2:]]
    added = {p: set() for p in projects}
    removed = {p: set() for p in projects}
    for run in log["runs"]:
        for result in run.get("results", []):
            if result.get("ruleId") != "RS0016":
                continue
            props = result.get("properties", {}).get("customProperties", {})
            name = props.get("APIName")
            if not name:
                continue
            uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            path = unquote(urlparse(uri).path)
            owner = max((p for p in projects if path.startswith(p + os.sep)), key=len, default=None)
            if owner is None:
                continue
            added[owner].add(name)
            removed[owner].update(s for s in props.get("ApiNamesOfSiblingsToRemove", "").split(";") if s)
    for project in projects:
        path = os.path.join(project, "PublicAPI.Unshipped.txt")
        lines = open(path, encoding="utf-8").read().splitlines() if os.path.exists(path) else ["#nullable enable"]
        header = [l for l in lines if l.startswith("#")]
        body = set(l for l in lines if l and not l.startswith("#"))
        before = len(body)
        body -= removed[project]
        body |= added[project]
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(header + sorted(body, key=order)) + "\n")
        print(f"{os.path.relpath(path)}: {before} -> {len(body)} lines")


if __name__ == "__main__":
    main()
