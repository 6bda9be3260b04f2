#!/usr/bin/env bash
# Builds the documentation site with docfx (a dotnet tool pinned in dotnet-tools.json) into docs/site/_site:
# the API reference from the XML documentation of SharpFlow, SharpFlow.Models, SharpFlow.Onnx and
# SharpFlow.Distributed (taken from the Release build of the CLI, where the four assemblies and their dependencies
# lie together), and the guides: README.md and docs/tf-data.md, copied into docs/site/guide with their pictures.
# Any docfx warning (a broken link, an unresolved cross-reference, a bad XML comment) fails the build.
# Usage: tools/docs/build-site.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" != "--no-build" ]; then dotnet build src/SharpFlow.Cli -c Release -nologo -v quiet; fi
dotnet tool restore >/dev/null
site=docs/site
rm -rf "$site/guide" "$site/api" "$site/_site"
mkdir -p "$site/guide"
# The README links its pictures as docs/NAME; in the site they sit next to the guide.
sed -e 's#](docs/#](#g' README.md > "$site/guide/README.md"
cp docs/tf-data.md "$site/guide/"
cp docs/*.png docs/*.svg "$site/guide/"
cp docs/icon.png "$site/"
dotnet docfx "$site/docfx.json" --warningsAsErrors
echo "site: $site/_site/index.html"
