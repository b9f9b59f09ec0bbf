#!/usr/bin/env bash
# Refreshes the vendored KaTeX in this folder from the npm registry (the only time the network is used:
# the engine embeds these files, so building and running need no network).
#   bash lib/Dropout.Notebooks.Engine/Assets/katex/vendor-katex.sh [VERSION]    (default: npm's latest)
# Keeps only what the offline HTML pages use: katex.min.js, katex.min.css, the woff2 fonts, the LICENSE.
# Then update the version in README.md here and rerun the engine tests.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${1:-$(npm view katex version)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "katex@$version" >/dev/null && tar xzf "katex-$version.tgz")
dist="$work/package/dist"
[ -f "$dist/katex.min.js" ] || { echo "katex@$version has no dist/katex.min.js" >&2; exit 1; }

rm -rf "$here/fonts" "$here/katex.min.js" "$here/katex.min.css" "$here/LICENSE"
mkdir -p "$here/fonts"
cp "$dist/katex.min.js" "$dist/katex.min.css" "$here/"
cp "$dist"/fonts/*.woff2 "$here/fonts/"
cp "$work/package/LICENSE" "$here/LICENSE"
echo "vendored katex@$version into $here:"
du -ch "$here/katex.min.js" "$here/katex.min.css" "$here"/fonts/*.woff2 | tail -1
