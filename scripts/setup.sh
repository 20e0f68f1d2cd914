#!/usr/bin/env bash
# Installs what building and testing need on a fresh Debian 12 machine that
# has Rust: PHP 8.2 with its headers, libclang for bindgen, and what the
# WordPress tests use (WordPress and Ultimate Multisite themselves come from
# ../shared/fixtures). Skips apt entirely when everything is already there.
#
#   bash scripts/setup.sh           everything the tests use
#   bash scripts/setup.sh --build   only what building and the demo use
#                                   (PHP's CLI and headers, libclang, openssl)
set -euo pipefail
# shellcheck source=lib/apt.sh
source "$(dirname "$0")/lib/apt.sh"

packages=(php8.2-cli php8.2-dev libclang-dev openssl)
if [ "${1:-}" != "--build" ]; then
    packages+=(php8.2-mysql php8.2-curl php8.2-mbstring php8.2-xml mariadb-server tinyproxy)
fi
apt_install_missing setup "${packages[@]}"
