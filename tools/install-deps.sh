#!/bin/sh
# Installs the Debian 12 packages pamphlet needs to build, test, benchmark and fuzz,
# if any is missing (apt-get update + install; sudo when not root). Safe to run often.
set -e
BUILD="gcc make pkg-config libpango1.0-dev libcairo2-dev libharfbuzz-dev libfontconfig-dev
 libyaml-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libhyphen-dev hyphen-en-us
 libjpeg-dev libpng-dev libqrencode-dev libqpdf-dev libgs-common"
# (libgs-common: the CMYK and sRGB profiles --pdfx embeds, /usr/share/color/icc/ghostscript)
# the fonts the shipped layouts a5-rtl (Arabic) and a5-cjk (Chinese, Japanese) fall back on
FONTS="fonts-noto-core fonts-droid-fallback"
# zbar-tools: zbarimg reads the back cover's QR code back from a rendered page
# python3-pil: tests/e2e/test_print_images.sh makes CMYK, gray and ICC-tagged pictures
# fonts-nanum: a Korean font installed on the machine, that the last resort sets Hangul in
# when no font of the layout has it (the corpus's FAQ-KR.md, tests/e2e/test_watch_fresh.sh)
TEST="libcmocka-dev poppler-utils qpdf ghostscript python3 python3-pil groff fonts-urw-base35 zbar-tools $FONTS
 fonts-noto-color-emoji fonts-nanum hyphen-es hyphen-de hyphen-fr valgrind clang libclang-rt-14-dev"
BENCH="hyperfine"
want="$BUILD"
case "${1:-build}" in
    build) ;;
    test) want="$BUILD $TEST" ;;
    all) want="$BUILD $FONTS $TEST $BENCH" ;;
    *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
