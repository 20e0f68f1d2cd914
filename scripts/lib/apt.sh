# Sourced by scripts/setup.sh and the test suites that install their own
# Debian packages. Defines one function and sets nothing else.

# apt_install_missing LABEL PACKAGE...: installs those of the packages that
# dpkg does not list as "install ok installed", with apt-get (through sudo
# unless running as root), and says so on a line starting with LABEL. Makes
# no apt call at all when nothing is missing. Non-zero when apt failed.
apt_install_missing() {
    local label="$1" pkg missing=() sudo_cmd=""
    shift
    for pkg in "$@"; do
        [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    echo "$label: installing ${missing[*]}"
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    # env, not a plain assignment: sudo would drop DEBIAN_FRONTEND from the environment.
    $sudo_cmd apt-get update -qq >/dev/null &&
        $sudo_cmd env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
