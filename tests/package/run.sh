#!/usr/bin/env bash
# Package and install-route test for one PHP.
#
#   tests/package/run.sh                       PHP 8.2, on this Debian 12 machine: builds the
#                                              release artifacts (scripts/release.sh), checks
#                                              them here, then in a clean Debian 12 root (smoke.sh)
#   tests/package/run.sh --php 8.4 --dist DIR  checks artifacts built already, in the system of
#                                              that PHP (tests/php84/run.sh, in its Debian 13 root)
#
# Checks: the artifacts and their checksums; the module's links and that it
# loads into this PHP; the classic route (the release's phpize/configure/make
# build, then `make install` as root without cargo on the PATH) installs
# into this PHP's extension dir; the build refuses a ZTS PHP; composer.json
# (composer validate where composer is, and its php-ext section against the
# build); the .deb installed with dpkg -i and seen by the system PHP (its
# own php.ini: php -m, php --ri, php-fpm), toggled, removed and purged with
# nothing left. Never leaves anything installed (trap). Needs root, or sudo.
# The last line is `N passed, N failed`.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# shellcheck source=../../scripts/lib/apt.sh
source "$root/scripts/lib/apt.sh"
# shellcheck source=../../scripts/lib/debroot.sh
source "$root/scripts/lib/debroot.sh"

php=8.2
dist=""
while [ $# -gt 0 ]; do
    case "$1" in
        --php) php="$2"; shift 2 ;;
        --dist) dist="$2"; shift 2 ;;
        *) sed -n '2,19p' "$0"; exit 2 ;;
    esac
done
full=no
[ -n "$dist" ] || full=yes
package="php$php-closte"
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
build_dir="$root/target/dist-build/php$php/src"
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; [ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/       /'; }
check() { # check "description" command...
    local what=$1 out
    shift
    if out=$("$@" 2>&1); then ok "$what"; else fail "$what" "$(printf '%s' "$out" | tail -5)"; fi
}
add_counts() { # the last "N passed, N failed" line of a log; none counts as a failure
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
    [ -n "$line" ] || { failed=$((failed + 1)); return; }
    passed=$((passed + ${line%% *}))
    line=${line#*, }
    failed=$((failed + ${line%% *}))
}
finish() {
    echo "     total $((SECONDS - started)) s"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}
installed_state() { dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true; }

tmp=$(mktemp -d)
clean_root=""
clean_pid=""
ext_dir=""
cleanup() {
    case "$(installed_state)" in
        "" | *not-installed*) ;;
        *) $sudo_cmd dpkg -P "$package" >/dev/null 2>&1 || echo "cleanup: could not purge $package" >&2 ;;
    esac
    # What `make install` put there, unless it is the package's (never both).
    [ -z "$ext_dir" ] || [ ! -e "$tmp/make-installed" ] || $sudo_cmd rm -f "$ext_dir/closte.so"
    if [ -n "$clean_pid" ]; then
        kill -TERM -- "-$clean_pid" 2>/dev/null
        wait "$clean_pid" 2>/dev/null
    fi
    [ -z "$clean_root" ] || debroot_remove "$clean_root"
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
started=$SECONDS

# ------------------------------------------------------------ tools, build
apt_packages=("php$php-cli" "php$php-fpm" binutils dpkg-dev unzip)
[ "$full" = no ] || apt_packages+=(composer)
if ! apt_install_missing package "${apt_packages[@]}"; then
    fail "install the missing packages of: ${apt_packages[*]}"
    finish
fi
case "$(installed_state)" in
    "" | *not-installed*) ;;
    *) fail "$package is already installed here; this test installs and removes it (dpkg -P $package first)"; finish ;;
esac
if [ "$full" = yes ]; then
    # The clean Debian 12 root for smoke.sh is made meanwhile (mostly
    # downloads, while the build uses the CPU), in a process group of its
    # own so that cleanup can stop all of it.
    if debroot_ensure_tools >/dev/null; then
        clean_root=$(debroot_new bookworm)
        setsid bash -c 'source "$1"; debroot_create "$2" bookworm php8.2-cli php8.2-fpm ca-certificates' sh \
            "$root/scripts/lib/debroot.sh" "$clean_root" >"$tmp/clean-root.log" 2>&1 &
        clean_pid=$!
    fi
    dist="$tmp/dist"
    build_start=$SECONDS
    if bash scripts/release.sh --php "$php" --out "$dist" >"$tmp/release.log" 2>&1; then
        ok "scripts/release.sh --php $php builds the artifacts ($((SECONDS - build_start)) s)"
        grep '^release: PHP' "$tmp/release.log" | sed 's/^/     /'
    else
        fail "scripts/release.sh --php $php builds the artifacts" "$(tail -20 "$tmp/release.log")"
        finish
    fi
fi

# ------------------------------------------------------------ artifacts
arch=$(uname -m)
so="$dist/php_closte-${version}_php$php-$arch-linux-glibc-nts.so"
zip="${so%.so}.zip"
deb=$(ls "$dist/${package}_${version}"-*.deb 2>/dev/null | head -1)
check "the module is named as PIE names prebuilt binaries (${so##*/})" test -s "$so"
check "and its zip holds closte.so, the same file" bash -c 'unzip -Z1 "$1" | grep -qx closte.so && [ "$(unzip -Z1 "$1" | wc -l)" = 1 ] && unzip -p "$1" closte.so | cmp -s - "$2"' sh "$zip" "$so"
check "the .deb is there (${deb##*/})" test -s "$deb"
check "sha256sum -c SHA256SUMS" bash -c 'cd "$1" && sha256sum --quiet -c SHA256SUMS && grep -q "  ${2##*/}$" SHA256SUMS && grep -q "  ${3##*/}$" SHA256SUMS' sh "$dist" "$so" "$deb"
[ -s "$so" ] && [ -s "$deb" ] || finish

# A web node has no Rust and no build tools: only the C library's.
needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
check "the module needs only the C library and libgcc ($needed)" bash -c \
    '[ -n "$1" ] && ! tr " " "\n" <<<"$1" | grep -v "^$" | grep -vxE "libc\.so\.6|libm\.so\.6|libgcc_s\.so\.1|ld-linux-x86-64\.so\.2|libpthread\.so\.0|libdl\.so\.2"' sh "$needed"
check "no RPATH or RUNPATH in the module" bash -c '! readelf -d "$1" | grep -qE "R(UN)?PATH"' sh "$so"
out=$(php"$php" -n -d "extension=$so" -r 'echo closte_version();' 2>&1)
check "php$php loads it, no warning, closte_version() is $version+<revision> ($out)" grep -Eqx "${version//./\\.}\+[0-9a-z.]+" <<<"$out"

# ------------------------------------------------------------ phpize, configure, make, make install
ext_dir=$(php"$php" -n -r 'echo PHP_EXTENSION_DIR;')
check "php-config$php agrees on the extension dir ($ext_dir)" test "$(php-config"$php" --extension-dir)" = "$ext_dir"
check "the release's ./configure found this PHP (Makefile: php$php, $ext_dir)" bash -c \
    'grep -qx "PHP_EXECUTABLE = .*/php$2" "$1/Makefile" && grep -qx "EXTENSION_DIR = $3" "$1/Makefile"' sh "$build_dir" "$php" "$ext_dir"
check "make built modules/closte.so, the released module" cmp -s "$build_dir/modules/closte.so" "$so"
if [ -e "$ext_dir/closte.so" ]; then
    fail "no closte.so in $ext_dir before make install (remove it first)"
else
    # As `sudo make install` (PIE) runs it: root, no cargo on the PATH.
    if out=$(cd "$build_dir" && $sudo_cmd env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin make install 2>&1); then
        touch "$tmp/make-installed"
        ok "make install, as root with no cargo on the PATH"
    else
        fail "make install, as root with no cargo on the PATH" "$(tail -5 <<<"$out")"
    fi
    check "make install did not run cargo (it only copies)" bash -c '! grep -qE "cargo|Compiling|Finished" <<<"$1"' sh "$out"
    check "it installed closte.so into $ext_dir, the released module" cmp -s "$ext_dir/closte.so" "$so"
    check "php -d extension=closte (by name, from the extension dir) works" \
        test "$(php"$php" -n -d extension=closte -r 'echo closte_validate_domain("Shop.Example.COM.");' 2>&1)" = shop.example.com
    $sudo_cmd rm -f "$ext_dir/closte.so" && rm -f "$tmp/make-installed"
fi

# ------------------------------------------------------------ ZTS refused
# build.rs is plain std Rust: compiled alone, it is run as cargo runs it,
# with a php that says it is thread-safe, and with this one.
if rustc --edition 2021 -o "$tmp/build-script" build.rs >"$tmp/rustc.log" 2>&1; then
    printf '#!/bin/sh\n# A thread-safe PHP, as far as the ZTS question goes.\necho 1\n' >"$tmp/zts-php"
    chmod +x "$tmp/zts-php"
    mkdir -p "$tmp/out"
    export OUT_DIR="$tmp/out" CARGO_CFG_TARGET_OS=linux CARGO_CFG_TARGET_ENV=gnu
    zts_out=$(PHP="$tmp/zts-php" "$tmp/build-script" 2>&1)
    check "the build refuses a ZTS PHP with a message" bash -c '[ "$1" -ne 0 ] && grep -q "is a thread-safe (ZTS) PHP. closte supports non-thread-safe (NTS) PHP only" <<<"$2"' sh "$?" "$zts_out"
    nts_out=$(PHP="$(command -v php"$php")" "$tmp/build-script" 2>&1)
    check "and goes on with php$php (NTS), watching PHP and PHP_CONFIG" bash -c '[ "$1" -eq 0 ] && grep -qx "cargo:rerun-if-env-changed=PHP" <<<"$2" && ! grep -q ZTS <<<"$2"' sh "$?" "$nts_out"
    unset OUT_DIR CARGO_CFG_TARGET_OS CARGO_CFG_TARGET_ENV
else
    fail "rustc compiles build.rs on its own" "$(tail -5 "$tmp/rustc.log")"
fi
check "config.m4 refuses a ZTS PHP too (phpize's PHP_THREAD_SAFETY)" grep -q 'if test "$PHP_THREAD_SAFETY" = "yes"' config.m4

# ------------------------------------------------------------ composer.json
if command -v composer >/dev/null 2>&1; then
    # Debian 12's composer (2.5) predates the php-ext key in composer's
    # schema and warns about it; any other warning or error fails.
    out=$(COMPOSER_ALLOW_SUPERUSER=1 composer validate --strict --no-check-publish --no-check-lock --no-interaction composer.json 2>&1)
    rc=$?
    check "composer validate --strict (composer $(composer --version 2>/dev/null | awk '{print $3}'))" bash -c \
        '[ "$1" -eq 0 ] && ! grep -v "The property php-ext is not defined" <<<"$2" | grep -q "^- "' sh "$rc" "$out"
fi
php"$php" -n -d "extension=$so" tests/package/composer_test.php "$build_dir" >"$tmp/composer.txt" 2>&1
cat "$tmp/composer.txt"
add_counts "$tmp/composer.txt"

# ------------------------------------------------------------ the .deb
api=$(php-config"$php" --phpapi)
contents=$(dpkg-deb -c "$deb")
check "the package holds $ext_dir/closte.so, the released module" bash -c \
    'grep -q " \.$1/closte\.so$" <<<"$2" && dpkg-deb --fsys-tarfile "$3" | tar -xOf - ".$1/closte.so" | cmp -s - "$4"' sh "$ext_dir" "$contents" "$deb" "$so"
check "the package holds /etc/php/$php/mods-available/closte.ini" grep -q " \./etc/php/$php/mods-available/closte\.ini$" <<<"$contents"
check "closte.ini is a conffile" grep -qx "/etc/php/$php/mods-available/closte.ini" <<<"$(dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles)"
depends=$(dpkg-deb -f "$deb" Depends)
check "depends on php$php-common, phpapi-$api and ca-certificates ($depends)" bash -c \
    'grep -q "php$2-common" <<<"$1" && grep -q "phpapi-$3" <<<"$1" && grep -q "ca-certificates" <<<"$1"' sh "$depends" "$php" "$api"
check "php -m does not list closte before the install" bash -c '! php'"$php"' -m | grep -qx closte'
# A record left by an earlier package's purge would keep the postinst from
# enabling the module; the package is not installed, so any is stale.
$sudo_cmd rm -f /var/lib/php/modules/"$php"/*/*/closte /var/lib/php/modules/"$php"/registry/closte

if out=$($sudo_cmd dpkg -i "$deb" 2>&1); then
    ok "dpkg -i installs it"
else
    fail "dpkg -i installs it" "$(tail -5 <<<"$out")"
    finish
fi
check "dpkg says installed" grep -q 'install ok installed' <<<"$(installed_state)"
check "php -m lists closte (system php.ini)" bash -c "php$php -m | grep -qx closte"
out=$(php"$php" -r 'echo closte_version();' 2>&1)
check "closte_version() is the package's version ($out)" grep -q "^$(dpkg-deb -f "$deb" Version | sed 's/-[^-]*$//')+" <<<"$out"
check "closte_validate_domain works" test "$(php"$php" -r 'echo closte_validate_domain("Shop.Example.COM.");')" = shop.example.com
check "no test-only function in the package" test "$(php"$php" -r 'echo function_exists("closte_debug_panic") ? "yes" : "no";')" = no
check "enabled through conf.d (cli/conf.d/20-closte.ini)" test -L "/etc/php/$php/cli/conf.d/20-closte.ini"
check "php --ri closte shows the section and the ini defaults" bash -c \
    'out=$(php'"$php"' --ri closte) && grep -q "closte support => enabled" <<<"$out" && grep -q "closte.timeout => 45" <<<"$out"'
check "ini defaults as documented in closte.ini" test "$(php"$php" -r 'echo ini_get("closte.retries"), "|", ini_get("closte.connect_timeout");')" = "2|10"
check "php-fpm$php -m lists closte (fpm/conf.d)" bash -c "php-fpm$php -m | grep -qx closte"
check "phpdismod closte disables it" bash -c "$sudo_cmd phpdismod -v $php closte && ! php$php -m | grep -qx closte"
check "phpenmod closte enables it again" bash -c "$sudo_cmd phpenmod -v $php closte && php$php -m | grep -qx closte"

if out=$($sudo_cmd dpkg -r "$package" 2>&1); then ok "dpkg -r removes it"; else fail "dpkg -r removes it" "$(tail -5 <<<"$out")"; fi
check "php -m no longer lists closte" bash -c "! php$php -m 2>&1 | grep -qx closte"
check "php starts without warnings" test -z "$(php"$php" -r '' 2>&1)"
check "closte.so is gone" test ! -e "$ext_dir/closte.so"
check "no conf.d link left" bash -c "! ls /etc/php/$php/*/conf.d/*closte* >/dev/null 2>&1"
# An administrator's phpdismod before the purge: its record must go too.
$sudo_cmd mkdir -p "/var/lib/php/modules/$php/cli/disabled_by_admin"
$sudo_cmd touch "/var/lib/php/modules/$php/cli/disabled_by_admin/closte"
if out=$($sudo_cmd dpkg -P "$package" 2>&1); then ok "dpkg -P purges it"; else fail "dpkg -P purges it" "$(tail -5 <<<"$out")"; fi
check "dpkg no longer knows the package" bash -c "! dpkg-query -W -f='\${Status}' $package 2>/dev/null | grep -q installed"
left=$(find /etc/php /usr/lib/php /var/lib/php /usr/share/doc -name '*closte*' 2>/dev/null)
check "the purge left no file and no state behind (/etc/php, /usr/lib/php, /var/lib/php, /usr/share/doc)" test -z "$left"
[ -z "$left" ] || printf '       %s\n' $left

# ------------------------------------------------------------ a clean Debian 12
if [ "$full" = yes ]; then
    echo "     waiting for the clean Debian 12 root"
    if [ -n "$clean_pid" ] && wait "$clean_pid"; then
        clean_pid=""
        bash tests/package/smoke.sh "$php" "$dist" "$clean_root" >"$tmp/smoke.txt" 2>&1
        cat "$tmp/smoke.txt"
        add_counts "$tmp/smoke.txt"
    else
        clean_pid=""
        fail "debootstrap a clean Debian 12 root with php8.2-cli, php8.2-fpm and ca-certificates" "$(tail -10 "$tmp/clean-root.log")"
    fi
fi
finish
