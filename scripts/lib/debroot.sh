# Sourced by scripts/release.sh and the suites that need another Debian (a
# Debian 13 root for PHP 8.4, clean roots for the artifact smoke tests).
# Defines functions only. Needs root, debootstrap and unshare (util-linux).
#
# Every mount is made inside a private mount namespace (unshare), so none
# is ever visible outside it and all vanish when its command ends, also
# when the command fails or is killed; each command in a root also runs in
# its own pid namespace, so whatever it left running (a simulator, php-fpm)
# is killed by the kernel when it ends. Nothing is cached across runs.

DEBROOT_MIRROR="${CLOSTE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBROOT_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# debroot_new SUITE: prints a fresh, empty directory for a root of SUITE.
debroot_new() {
    local dir
    mkdir -p /var/tmp/closte-roots && dir=$(mktemp -d "/var/tmp/closte-roots/$1.XXXXXX") || return 1
    # It becomes the root's /: mktemp's 0700 would lock out every user but
    # root inside (php-fpm's workers run as nobody).
    chmod 755 "$dir" && echo "$dir"
}

# debroot_create DIR SUITE PACKAGE...: debootstrap --variant=minbase SUITE
# into DIR, then apt-get install --no-install-recommends PACKAGE... in it.
debroot_create() {
    local dir="$1" suite="$2"
    shift 2
    unshare --mount --pid --fork --kill-child -- \
        debootstrap --variant=minbase "$suite" "$dir" "$DEBROOT_MIRROR" >"$dir.debootstrap.log" 2>&1 || {
        tail -20 "$dir.debootstrap.log" >&2
        return 1
    }
    rm -f "$dir.debootstrap.log"
    # minbase writes no /etc/hosts: without it, localhost does not resolve.
    printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >"$dir/etc/hosts"
    # No service starts inside the root (php-fpm's postinst would try).
    printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
    chmod 755 "$dir/usr/sbin/policy-rc.d"
    [ "$#" -eq 0 ] && return 0
    debroot_run "$dir" sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null' sh "$@"
}

# debroot_run DIR COMMAND...: runs COMMAND in the root as root, in a clean
# environment (CI, CARGO_TERM_COLOR, RUSTUP_TOOLCHAIN and CLOSTE_* pass),
# with /proc, /dev, the repository and the host's rustup and cargo homes
# mounted at the same paths as outside (the toolchain runs there, the
# registry is shared, cargo is kept offline). DEBROOT_TOOLCHAIN=no leaves
# the toolchain out (a clean web node has none).
debroot_run() {
    local dir="$1" name envs=() path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    shift
    local cargo_home="${CARGO_HOME:-$HOME/.cargo}" rustup_home="${RUSTUP_HOME:-$HOME/.rustup}"
    if [ "${DEBROOT_TOOLCHAIN:-yes}" = no ]; then
        cargo_home=/nonexistent rustup_home=/nonexistent
    fi
    envs=(HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive)
    if [ -d "$cargo_home" ]; then
        envs+=("CARGO_HOME=$cargo_home" CARGO_NET_OFFLINE=true)
        path="$cargo_home/bin:$path"
    fi
    [ -d "$rustup_home" ] && envs+=("RUSTUP_HOME=$rustup_home")
    envs+=("PATH=$path")
    for name in CI CARGO_TERM_COLOR RUSTUP_TOOLCHAIN $(compgen -e | grep -E '^CLOSTE_' || true); do
        [ -n "${!name+x}" ] && envs+=("$name=${!name}")
    done
    unshare --mount --pid --fork --kill-child --propagation private -- \
        /bin/sh -c '
            set -e
            dir=$1 repo=$2 cargo_home=$3 rustup_home=$4
            shift 4
            mount -t proc proc "$dir/proc"
            mount --rbind /dev "$dir/dev"
            for path in "$repo" "$cargo_home" "$rustup_home"; do
                [ -d "$path" ] || continue
                mkdir -p "$dir$path"
                mount --bind "$path" "$dir$path"
            done
            exec chroot "$dir" /usr/bin/env -i "$@"
        ' sh "$dir" "$DEBROOT_REPO" "$cargo_home" "$rustup_home" "${envs[@]}" "$@"
}

# debroot_copy FROM TO: a full copy of a root (a few seconds for a PHP
# root), cheaper than a second debootstrap of the same suite.
debroot_copy() {
    cp -a "$1/." "$2/"
}

# debroot_remove DIR: deletes a root, after checking that nothing is
# mounted under it (then rm could reach into the repository).
debroot_remove() {
    local dir="$1"
    [ -n "$dir" ] && [ -d "$dir" ] || return 0
    case "$dir" in /var/tmp/closte-roots/*) ;; *) echo "debroot_remove: refusing $dir" >&2; return 1 ;; esac
    if awk -v d="$dir" 'index($2, d) == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
        echo "debroot_remove: something is mounted under $dir; not removing it" >&2
        return 1
    fi
    rm -rf --one-file-system "$dir" "$dir.debootstrap.log"
}

# debroot_ensure_tools: debootstrap and unshare on the host (apt when missing).
debroot_ensure_tools() {
    # shellcheck source=apt.sh
    source "$DEBROOT_REPO/scripts/lib/apt.sh"
    apt_install_missing debroot debootstrap util-linux
}
