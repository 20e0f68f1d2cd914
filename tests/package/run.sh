#!/usr/bin/env bash
# Package test: builds the Debian package with cargo-deb, installs it with
# dpkg -i, checks that the system PHP (its own php.ini, no -d flags) loads
# the extension, toggles it with phpdismod/phpenmod, then removes and purges
# it and checks nothing is left. Never leaves the package installed (trap).
#
# Works on a fresh Debian 12 machine that has Rust: installs the Debian
# packages it needs (apt) and cargo-deb (cargo install --locked) when missing.
# Needs root, or sudo. The last line is `N passed, N failed`.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# shellcheck source=../../scripts/lib/apt.sh
source "$root/scripts/lib/apt.sh"

package=php8.2-closte
# A target directory of its own: the package must hold a plain release build,
# never one another job built with test features into target/release.
target_dir="$root/target/package"
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; [ $# -lt 2 ] || printf '       %s\n' "$2"; }
check() { # check "description" command...
    local what=$1 out
    shift
    if out=$("$@" 2>&1); then ok "$what"; else fail "$what" "$(printf '%s' "$out" | tail -5)"; fi
}
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ] && exit 0
    exit 1
}
installed_state() { dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true; }
cleanup() {
    case "$(installed_state)" in
        "" | *not-installed*) ;;
        *) $sudo_cmd dpkg -P "$package" >/dev/null 2>&1 || echo "cleanup: could not purge $package" >&2 ;;
    esac
}

# ------------------------------------------------------------ tools
started=$(date +%s)
apt_packages=(php8.2-cli php8.2-dev libclang-dev gcc libc6-dev dpkg-dev)
if ! apt_install_missing package "${apt_packages[@]}"; then
    fail "install the missing build packages of: ${apt_packages[*]}"
    finish
fi
if ! command -v cargo-deb >/dev/null 2>&1; then
    echo "installing cargo-deb (cargo install cargo-deb --locked)"
    if ! cargo install cargo-deb --locked --quiet; then
        fail "cargo install cargo-deb --locked"
        finish
    fi
fi

case "$(installed_state)" in
    "" | *not-installed*) ;;
    *)
        fail "$package is already installed on this machine; this test installs and removes it, so remove it first (dpkg -P $package)"
        finish
        ;;
esac
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------ build
rm -rf "$target_dir/debian"
build_log=$(mktemp)
build_start=$(date +%s)
if CARGO_TARGET_DIR="$target_dir" cargo deb -p closte >"$build_log" 2>&1; then
    ok "cargo deb builds the package ($(( $(date +%s) - build_start )) s)"
else
    fail "cargo deb builds the package" "$(tail -20 "$build_log")"
    rm -f "$build_log"
    finish
fi
rm -f "$build_log"
deb=$(ls "$target_dir"/debian/${package}_*.deb 2>/dev/null | head -1)
if [ -z "$deb" ]; then
    fail "a .deb in $target_dir/debian"
    finish
fi
echo "     package: ${deb#"$root"/} ($(stat -c %s "$deb") bytes)"

ext_dir=$(php -n -r 'echo PHP_EXTENSION_DIR;')
[ -z "$(command -v php-config)" ] || ext_dir_config=$(php-config --extension-dir)
check "extension dir of php and php-config agree ($ext_dir)" test "${ext_dir_config:-$ext_dir}" = "$ext_dir"
contents=$(dpkg-deb -c "$deb")
check "the package holds $ext_dir/closte.so" grep -q " \.$ext_dir/closte\.so$" <<<"$contents"
check "the package holds /etc/php/8.2/mods-available/closte.ini" grep -q ' \./etc/php/8\.2/mods-available/closte\.ini$' <<<"$contents"
check "closte.ini is a conffile" grep -qx '/etc/php/8.2/mods-available/closte.ini' <<<"$(dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles)"
depends=$(dpkg-deb -f "$deb" Depends)
check "depends on php8.2-common and phpapi-20220829 ($depends)" grep -q 'php8.2-common.*phpapi-20220829\|phpapi-20220829.*php8.2-common' <<<"$depends"
check "php -m does not list closte before the install" bash -c '! php -m | grep -qx closte'

# php-maintscript-helper keeps a per-SAPI enabled/disabled record that
# survives a purge when the module was already disabled; on a machine where
# an earlier run toggled it, that record would stop the postinst from
# enabling it. The package is not installed here, so any record is stale.
if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    $sudo_cmd rm -f /var/lib/php/modules/8.2/*/*/closte
fi

# ------------------------------------------------------------ install
if out=$($sudo_cmd dpkg -i "$deb" 2>&1); then
    ok "dpkg -i installs it"
else
    fail "dpkg -i installs it" "$(tail -5 <<<"$out")"
    finish
fi
check "dpkg says installed" grep -q 'install ok installed' <<<"$(installed_state)"
check "php -m lists closte (system php.ini)" bash -c 'php -m | grep -qx closte'
version=$(php -r 'echo closte_version();' 2>&1)
check "php -r 'echo closte_version();' prints the version ($version)" grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+\+[0-9a-z.]+$' <<<"$version"
check "the version is the package's" grep -q "^$(dpkg-deb -f "$deb" Version | sed 's/-[^-]*$//')+" <<<"$version"
check "closte_validate_domain works" test "$(php -r 'echo closte_validate_domain("Shop.Example.COM.");')" = "shop.example.com"
check "closte_ssl_status is there" test "$(php -r 'echo function_exists("closte_ssl_status") ? "yes" : "no";')" = yes
check "no test-only function in the package" test "$(php -r 'echo function_exists("closte_debug_panic") ? "yes" : "no";')" = no
check "enabled through conf.d (cli/conf.d/20-closte.ini)" test -L /etc/php/8.2/cli/conf.d/20-closte.ini
check "php --ri closte shows the section and the ini defaults" bash -c \
    'out=$(php --ri closte) && grep -q "closte support => enabled" <<<"$out" && grep -q "closte.timeout => 45" <<<"$out"'
check "ini defaults as documented in closte.ini" test "$(php -r 'echo ini_get("closte.retries"), "|", ini_get("closte.connect_timeout");')" = "2|10"
if command -v php-fpm8.2 >/dev/null 2>&1; then
    check "php-fpm8.2 -m lists closte" bash -c 'php-fpm8.2 -m | grep -qx closte'
fi

check "phpdismod closte disables it" bash -c "$sudo_cmd phpdismod -v 8.2 closte && ! php -m | grep -qx closte"
check "phpenmod closte enables it again" bash -c "$sudo_cmd phpenmod -v 8.2 closte && php -m | grep -qx closte"

# ------------------------------------------------------------ remove
if out=$($sudo_cmd dpkg -r "$package" 2>&1); then
    ok "dpkg -r removes it"
else
    fail "dpkg -r removes it" "$(tail -5 <<<"$out")"
fi
check "php -m no longer lists closte" bash -c '! php -m 2>&1 | grep -qx closte'
check "php starts without warnings" test -z "$(php -r '' 2>&1)"
check "closte.so is gone" test ! -e "$ext_dir/closte.so"
check "no conf.d link left" bash -c '! ls /etc/php/8.2/*/conf.d/*closte* >/dev/null 2>&1'
if out=$($sudo_cmd dpkg -P "$package" 2>&1); then
    ok "dpkg -P purges its configuration"
else
    fail "dpkg -P purges its configuration" "$(tail -5 <<<"$out")"
fi
check "closte.ini is gone after the purge" test ! -e /etc/php/8.2/mods-available/closte.ini
check "dpkg no longer knows the package" bash -c "! dpkg-query -W -f='\${Status}' $package 2>/dev/null | grep -q installed"

echo "     total $(( $(date +%s) - started )) s"
finish
