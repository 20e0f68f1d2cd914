#!/usr/bin/env bash
# Builds the release artifacts, for each PHP, into one folder:
#
#   php_closte-<v>_php<X.Y>-<arch>-linux-glibc-nts.so   the module, named as PIE names prebuilt binaries
#   php_closte-<v>_php<X.Y>-<arch>-linux-glibc-nts.zip  the same as closte.so in a zip (PIE's asset form)
#   php<X.Y>-closte_<v>-1_<arch>.deb                      the Debian package
#   closte-native-<plugin version>.zip                    the WordPress plugin (a closte-native/ folder)
#   SHA256SUMS
#
# Each module is built the classic way, phpize && ./configure && make, in a
# copy of this tree (a clone of HEAD with the working tree's changes laid
# over it, so the revision is stamped), in target/dist-build/php<X.Y>/src;
# the .deb packs that same file (cargo deb --no-build). PHP 8.2 is built on
# this machine (Debian 12); PHP 8.4 in a Debian 13 root made with
# debootstrap, removed afterwards (or in CLOSTE_RELEASE_ROOT_8_4, a root
# prepared by the caller, as tests/php84/run.sh does).
#
#   bash scripts/release.sh [--php 8.2] [--php 8.4] [--out DIR]    default: both, dist/closte-<v>
#
# Needs root (or sudo for apt) and Rust; installs the Debian packages and
# cargo-deb it needs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=lib/apt.sh
source "$root/scripts/lib/apt.sh"
# shellcheck source=lib/debroot.sh
source "$root/scripts/lib/debroot.sh"

version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
plugin_version=$(sed -n 's/^ \* Version: *\([0-9][^ ]*\)$/\1/p' wp-plugin/closte-native.php)
phps=()
out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --php) phps+=("$2"); shift 2 ;;
        --out) out="$2"; shift 2 ;;
        *) sed -n '2,22p' "$0"; exit 2 ;;
    esac
done
[ "${#phps[@]}" -gt 0 ] || phps=(8.2 8.4)
out="${out:-$root/dist/closte-$version}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# Debian packages each PHP's build needs, in the system that builds it.
build_packages() { # X.Y
    case "$1" in
        8.2) echo "php8.2-cli php8.2-dev libclang-dev gcc libc6-dev make dpkg-dev git" ;;
        # bindgen loads libclang at run time and needs clang's own headers:
        # not the 300 MB of libclang-dev.
        8.4) echo "php8.4-cli php8.4-dev libclang1-19 libclang-common-19-dev gcc libc6-dev make dpkg-dev git" ;;
        *) return 1 ;;
    esac
}

made_root=""
cleanup() { [ -z "$made_root" ] || debroot_remove "$made_root"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

apt_install_missing release zip git
if ! command -v cargo-deb >/dev/null 2>&1; then
    echo "release: installing cargo-deb (cargo install cargo-deb --locked)"
    cargo install cargo-deb --locked --quiet
fi

# The source as a user would download it, plus the working tree's changes.
copy_source() { # DEST
    local dest="$1"
    rm -rf "$dest"
    git clone -q --local --no-hardlinks "$root" "$dest"
    git ls-files -z -co --exclude-standard | while IFS= read -r -d '' f; do
        [ -e "$f" ] && printf '%s\0' "$f"
    done | tar --null -T - -cf - | tar -xf - -C "$dest"
    git ls-files -z -d | (cd "$dest" && xargs -0 -r rm -f --)
}

# build_one X.Y RUNNER...: phpize, configure, make and cargo deb, run through
# RUNNER (nothing on this machine, debroot_run DIR in a root).
build_one() {
    local php="$1" base
    shift
    base="$root/target/dist-build/php$php"
    copy_source "$base/src"
    echo "release: PHP $php: phpize && ./configure && make in ${base#"$root"/}/src"
    local variant=""
    [ "$php" = 8.2 ] || variant="--variant php${php/./}"
    # The target dir sits next to the copy, so a second run recompiles only
    # the two crates of this tree.
    "$@" env CARGO_TARGET_DIR="$base/target" /bin/sh -ec '
        cd "$1/src"
        phpize"$2" >"$1/build.log" 2>&1
        ./configure --with-php-config="php-config$2" >>"$1/build.log" 2>&1
        make >>"$1/build.log" 2>&1
        rm -f "$1"/*.deb
        cargo deb -p closte --no-build $3 -o "$1" >>"$1/build.log" 2>&1
        php"$2" -n -r "echo php_uname(\"m\"), \" \", (int) PHP_ZTS, \" \", (int) PHP_DEBUG, \" \", PHP_MAJOR_VERSION, \".\", PHP_MINOR_VERSION, \"\n\";" >"$1/platform"
        if ldd --version 2>&1 | grep -qi musl; then echo musl; else echo glibc; fi >>"$1/platform"
    ' sh "$base" "$php" "$variant" || { tail -30 "$base/build.log" >&2; return 1; }

    local arch zts debug seen libc
    read -r arch zts debug seen <"$base/platform"
    libc=$(sed -n 2p "$base/platform")
    [ "$seen" = "$php" ] && [ "$zts" = 0 ] || { echo "release: built against PHP $seen (ZTS $zts), not $php NTS" >&2; return 1; }
    local name="php_closte-${version}_php${php}-${arch}-linux-${libc}"
    [ "$debug" = 0 ] || name+="-debug"
    name+="-nts"
    cp "$base/src/modules/closte.so" "$out/$name.so"
    local stage
    stage=$(mktemp -d)
    cp "$base/src/modules/closte.so" "$stage/closte.so"
    rm -f "$out/$name.zip"
    (cd "$stage" && zip -q -X "$out/$name.zip" closte.so)
    rm -rf "$stage"
    rm -f "$out"/php"$php"-closte_*.deb
    cp "$base"/php"$php"-closte_*.deb "$out/"
    echo "release: PHP $php: $name.so ($(stat -c %s "$out/$name.so") bytes), $(basename "$base"/php"$php"-closte_*.deb)"
}

for php in "${phps[@]}"; do
    case "$php" in
        8.2)
            [ "$(. /etc/os-release && echo "$VERSION_CODENAME")" = bookworm ] ||
                { echo "release: PHP 8.2 is built on Debian 12 (bookworm)" >&2; exit 1; }
            # shellcheck disable=SC2046
            apt_install_missing release $(build_packages 8.2)
            build_one 8.2
            ;;
        8.4)
            r="${CLOSTE_RELEASE_ROOT_8_4:-}"
            if [ -z "$r" ]; then
                debroot_ensure_tools
                r=$(debroot_new trixie)
                made_root="$r"
                echo "release: PHP 8.4: debootstrap trixie into $r"
                # shellcheck disable=SC2046
                debroot_create "$r" trixie $(build_packages 8.4)
            fi
            build_one 8.4 debroot_run "$r"
            ;;
        *) echo "release: PHP $php is not one this project builds (8.2, 8.4)" >&2; exit 1 ;;
    esac
done

# The plugin, as WordPress's uploader wants it: one closte-native/ folder.
stage=$(mktemp -d)
mkdir "$stage/closte-native"
git ls-files -z -co --exclude-standard wp-plugin | while IFS= read -r -d '' f; do
    [ -e "$f" ] && printf '%s\0' "${f#wp-plugin/}"
done | (cd wp-plugin && tar --null -T - -cf -) | tar -xf - -C "$stage/closte-native"
rm -f "$out/closte-native-$plugin_version.zip"
(cd "$stage" && zip -q -r -X "$out/closte-native-$plugin_version.zip" closte-native)
rm -rf "$stage"

(cd "$out" && rm -f SHA256SUMS && sha256sum -- *.so *.zip *.deb >SHA256SUMS)
echo "release: artifacts in $out"
sed 's/^/  /' "$out/SHA256SUMS"
