#!/usr/bin/env bash
# Installs what building and testing need on a fresh Debian 12 machine that
# has Rust: PHP 8.2 with its headers, libclang for bindgen, and what the
# WordPress tests use. Skips apt entirely when everything is already there.
set -euo pipefail

packages=(php8.2-cli php8.2-dev libclang-dev
          php8.2-mysql php8.2-curl php8.2-mbstring php8.2-xml
          wordpress mariadb-server)
missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
