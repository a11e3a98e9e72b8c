#!/usr/bin/env bash
# fuzz/seed.sh - seed the libFuzzer corpora (fuzz/corpus-{content,spec,render}/, not in
# git) from the repository's own inputs: the sample pamphlets (whole, and cut into small
# pieces: the front matter with each section, and windows of 60 lines), the golden test
# inputs, the layouts and the bad-input fixtures. Files already in a corpus stay (the
# corpora grow between runs); seeds are named by content, so reseeding adds nothing twice.
set -eu
cd "$(dirname "$0")/.."
C=fuzz/corpus-content S=fuzz/corpus-spec R=fuzz/corpus-render
mkdir -p "$C" "$S" "$R"
add() { # corpus file...: copy each file in under the hash of its content
    local dir=$1; shift
    for f in "$@"; do
        [ -f "$f" ] || continue
        cp "$f" "$dir/seed-$(sha1sum <"$f" | cut -c1-16)"
    done
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# cuts of the samples: front matter + one section each; 60-line windows every 40 lines
for md in content/*.md; do
    base=$(basename "$md" .md)
    awk -v out="$tmp/$base" '
        NR == 1 && /^---/ { fm = 1 }
        fm { front = front $0 "\n"; if (NR > 1 && /^---/) fm = 0; next }
        /^# / { n++ }
        { sec[n] = sec[n] $0 "\n" }
        END { for (i in sec) { f = out "-sec" i ".md"; printf "%s%s", front, sec[i] > f; close(f) } }
    ' "$md"
    total=$(wc -l <"$md")
    for ((s = 1; s <= total; s += 40)); do
        sed -n "${s},$((s + 59))p" "$md" >"$tmp/$base-win$s.md"
    done
done
# small figure seeds that refer to the images fuzz_render copies into its folder
while read -r img; do
    printf -- '---\ntitle: Figure\n---\n# Pictures\n\nText before.\n\n![A caption for %s.](%s){width=60%%}\n\nText after.\n' \
        "$img" "$img" >"$tmp/fig-${img//\//-}.md"
done < <(awk '!/^#/ && NF == 2 { print $2 }' fuzz/render-images.txt)

add "$C" content/*.md tests/golden/*.md "$tmp"/*.md tests/data/bad/*.md
add "$R" tests/golden/*.md "$tmp"/*.md
for f in "$tmp"/*.md content/*.md; do # the render harness takes at most 64 KiB
    [ "$(stat -c %s "$f")" -le 32768 ] && add "$R" "$f"
done
add "$S" layouts/*.yaml tests/golden/*.yaml fuzz/render.yaml tests/data/layouts/*.yaml tests/data/bad/*.yaml
echo "seeded: $(ls "$C" | wc -l) content, $(ls "$S" | wc -l) spec, $(ls "$R" | wc -l) render inputs"
