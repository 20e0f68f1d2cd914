#!/usr/bin/env bash
# Installs each release artifact into a clean PHP and uses it: a Debian root
# with only php<X.Y>-cli, php<X.Y>-fpm and ca-certificates (the roots the
# extension trusts; no Rust, no compiler, no php-dev, never had closte), as
# a web node has. Run on the host:
#
#   tests/package/smoke.sh X.Y DIST ROOT
#
# 1. the prebuilt module zip, installed as PIE installs one (closte.so into
#    the extension dir, an ini file, phpenmod), then removed;
# 2. the .deb, with dpkg -i, then purged: nothing left;
# 3. the plugin zip: one closte-native/ folder, every PHP file lints with
#    this PHP, every file the plugin requires is in it.
# Each install is used for real: php -m, php --ri, php-fpm -m, and adding,
# listing and removing a domain on the simulator (the host's closte-sim, run
# inside the root); and the CLI cold start is measured with and without it. The root is left for the caller to remove. The last
# line is `N passed, N failed`.
set -uo pipefail
php="$1" dist="$2" clean="$3"
root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=../../scripts/lib/debroot.sh
source "$root/scripts/lib/debroot.sh"
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$root/Cargo.toml")
zip=$(ls "$dist"/php_closte-"$version"_php"$php"-*-linux-glibc-nts.zip 2>/dev/null | head -1)
deb=$(ls "$dist"/php"$php"-closte_"$version"-*.deb 2>/dev/null | head -1)
plugin=$(ls "$dist"/closte-native-*.zip 2>/dev/null | head -1)

if [ "${SMOKE_INSIDE:-}" != yes ]; then
    # On the host: unpack what PIE and WordPress would unpack (the clean
    # root has no unzip), then run this script again inside the root.
    [ -n "$zip" ] && [ -n "$deb" ] && [ -n "$plugin" ] || {
        echo "FAIL - smoke: artifacts for PHP $php in $dist"; echo "0 passed, 1 failed"; exit 1; }
    rm -rf "$clean/tmp/smoke"
    mkdir -p "$clean/tmp/smoke/pie" "$clean/tmp/smoke/plugin"
    unzip -q "$zip" -d "$clean/tmp/smoke/pie" && unzip -q "$plugin" -d "$clean/tmp/smoke/plugin" || {
        echo "FAIL - smoke: unzip the artifacts"; echo "0 passed, 1 failed"; exit 1; }
    unzip -Z1 "$plugin" | cut -d/ -f1 | sort -u >"$clean/tmp/smoke/plugin-top"
    cp "$deb" "$clean/tmp/smoke/"
    cp "$root/packaging/closte.ini" "$clean/tmp/smoke/closte.ini"
    echo "== smoke: the artifacts in a clean PHP $php ($(. "$clean/etc/os-release" && echo "$PRETTY_NAME"))"
    DEBROOT_TOOLCHAIN=no debroot_run "$clean" env SMOKE_INSIDE=yes bash "$root/tests/package/smoke.sh" "$php" /tmp/smoke "$clean"
    exit
fi

# ------------------------------------------------------------ inside the clean root
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   - smoke $php: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - smoke $php: $1"; [ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/       /'; }
check() {
    local what=$1 out
    shift
    if out=$("$@" 2>&1); then ok "$what"; else fail "$what" "$(printf '%s' "$out" | tail -5)"; fi
}
php_bin="php$php"
ext_dir=$($php_bin -n -r 'echo PHP_EXTENSION_DIR;')
check "a clean PHP: no compiler, no cargo, no phpize, no closte" bash -c \
    '! command -v cc && ! command -v cargo && ! command -v phpize'"$php"' && ! '"$php_bin"' -m | grep -qx closte && [ ! -e "$1/closte.so" ]' sh "$ext_dir"

# shellcheck source=../../scripts/sim.sh
source "$root/scripts/sim.sh"
start_simulator --key smoke-key >/dev/null || { fail "the simulator starts"; echo "$passed passed, $failed failed"; exit 1; }
# Uses the extension the way the plugin does, through the system php.ini.
use_it() { # label
    check "$1: php -m lists closte" bash -c "$php_bin -m | grep -qx closte"
    check "$1: php --ri closte" bash -c "$php_bin --ri closte | grep -q 'closte support => enabled'"
    check "$1: php-fpm$php -m lists closte" bash -c "php-fpm$php -m | grep -qx closte"
    local out
    out=$(CLOSTE_SIM_URL="$CLOSTE_SIM_URL" $php_bin -r '
        $o = ["api_key" => "smoke-key", "api_url" => getenv("CLOSTE_SIM_URL") . "/api/client"];
        $a = closte_add_domain("Smoke.Example.COM", $o);
        $l = closte_list_domains($o);
        $r = closte_remove_domain("smoke.example.com", $o);
        echo closte_version(), " ", json_encode([$a["ok"], $a["domain"], $l, $r["ok"], closte_list_domains($o)]);' 2>&1)
    check "$1: add, list, remove a domain on the simulator ($out)" \
        grep -Eqx "${version//./\\.}\+[0-9a-z.]+ \[true,\"smoke.example.com\",\[\"smoke.example.com\"\],true,\[\]\]" <<<"$out"
}

# 1. The prebuilt module, as PIE installs it.
check "the module zip holds closte.so only" bash -c '[ "$(ls /tmp/smoke/pie)" = closte.so ]'
install -m 644 /tmp/smoke/pie/closte.so "$ext_dir/closte.so"
install -m 644 /tmp/smoke/closte.ini "/etc/php/$php/mods-available/closte.ini"
phpenmod -v "$php" closte
use_it "prebuilt module"
# What loading it costs a request that never calls it (SPEC: nothing
# measurable; an empty ext-php-rs module costs about 1.03x): a loose bound
# that a heavy start-up would break, the figure for the record.
cold=$($php_bin -n "$root/tests/package/coldstart.php" /tmp/smoke/pie/closte.so 200 2>&1)
echo "     figure: $cold"
check "CLI cold start with the module under 1.25x without it" bash -c \
    'r=$(sed -n "s/.*ratio \([0-9.]*\).*/\1/p" <<<"$1"); [ -n "$r" ] && awk -v r="$r" "BEGIN { exit !(r < 1.25) }"' sh "$cold"
phpdismod -v "$php" closte
rm -f "$ext_dir/closte.so" "/etc/php/$php/mods-available/closte.ini"
rm -f /var/lib/php/modules/"$php"/*/*/closte /var/lib/php/modules/"$php"/registry/closte
check "prebuilt module: removed, php starts clean" bash -c "[ -z \"\$($php_bin -r '' 2>&1)\" ] && ! $php_bin -m | grep -qx closte"

# 2. The Debian package.
deb=$(ls /tmp/smoke/*.deb)
check "dpkg -i ${deb##*/}" dpkg -i "$deb"
use_it "package"
check "dpkg -P php$php-closte" dpkg -P "php$php-closte"
left=$(find /etc/php /usr/lib/php /var/lib/php /usr/share/doc -name '*closte*' 2>/dev/null)
check "package: purged, nothing left, php starts clean" bash -c "[ -z \"\$1\" ] && [ -z \"\$($php_bin -r '' 2>&1)\" ]" sh "$left"
kill "$CLOSTE_SIM_PID" 2>/dev/null

# 3. The plugin zip.
dir=/tmp/smoke/plugin/closte-native
check "plugin zip: one closte-native/ folder at the top" test "$(cat /tmp/smoke/plugin-top)" = closte-native
check "plugin zip: closte-native/closte-native.php has the plugin header" grep -q '^ \* Plugin Name: *Closte Native' "$dir/closte-native.php"
lint=$(find "$dir" -name '*.php' -print0 | xargs -0 -n1 "$php_bin" -n -l 2>&1 | grep -v '^No syntax errors detected')
check "plugin zip: every PHP file lints with PHP $php ($(find "$dir" -name '*.php' | wc -l) files)" test -z "$lint"
missing=$(grep -rhoE "require(_once)? __DIR__ \. '[^']+'" "$dir" --include='*.php' | sed -E "s/.*'\/?([^']+)'/\1/" | sort -u |
    while read -r rel; do
        found=no
        for base in $(grep -rlE "require(_once)? __DIR__ \. '/?$rel'" "$dir" --include='*.php' | xargs -n1 dirname | sort -u); do
            [ -f "$base/$rel" ] && found=yes
        done
        [ "$found" = yes ] || echo "$rel"
    done)
check "plugin zip: every file the plugin requires is in it" test -z "$missing"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
