#!/usr/bin/env bash
# A throw-away PHP-FPM (Debian's php-fpm8.2, no systemd, no php.ini) with the
# closte extension loaded in the master, listening on loopback. See
# tests/fpm/README.md.
#
#   tests/fpm/fpm.sh start DIR     start; prints the FastCGI port (also in DIR/port);
#                                  the worker script is DIR/app.php (a copy of app.php)
#   tests/fpm/fpm.sh stop DIR      graceful stop (QUIT, then TERM, then KILL)
#   tests/fpm/fpm.sh check DIR     prints the log lines that are not routine; exit 1 if any
#
# Or source it and call fpm_start/fpm_stop/fpm_check DIR.
#
# Environment:
#   CLOSTE_SO         absolute path of libcloste.so (required)
#   CLOSTE_SIM_URL    simulator base URL, passed to the workers (and preload)
#   CLOSTE_TEST_KEY   API key the workers define as CLOSTE_CLIENT_API_KEY
#   FPM_WORKERS       pm = static, pm.max_children (default 4)
#   FPM_MASTER_USER   run the master as this user (e.g. nobody); default: as
#                     root with the workers as nobody/nogroup (production-like)
#   FPM_PRELOAD       opcache.preload script run in the master (needs a
#                     non-root master: set FPM_MASTER_USER too)
#   FPM_INI           extra ini settings, "name=value" separated by spaces
#   FPM_TERMINATE     request_terminate_timeout (default 30s)

fpm_binary() {
    for candidate in /usr/sbin/php-fpm8.2 "$(command -v php-fpm8.2 2>/dev/null)" "$(command -v php-fpm 2>/dev/null)"; do
        [ -n "$candidate" ] && [ -x "$candidate" ] && { echo "$candidate"; return 0; }
    done
    echo "php-fpm8.2 not found (apt-get install php8.2-fpm)" >&2
    return 1
}

fpm_free_port() {
    php -n -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false); echo substr($n, strrpos($n, ":") + 1);'
}

fpm_start() {
    local dir="$1" here bin port workers user_lines run_as=() ini_args=()
    here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
    bin="$(fpm_binary)" || return 1
    [ -n "${CLOSTE_SO:-}" ] && [ -f "$CLOSTE_SO" ] || { echo "CLOSTE_SO is not a file: ${CLOSTE_SO:-}" >&2; return 1; }
    mkdir -p "$dir"
    chmod 0777 "$dir"
    dir="$(cd "$dir" && pwd)"
    port="$(fpm_free_port)"
    workers="${FPM_WORKERS:-4}"
    if [ -n "${FPM_MASTER_USER:-}" ]; then
        user_lines=""
        if [ "$(id -u)" -eq 0 ]; then
            run_as=(setpriv --reuid="$FPM_MASTER_USER" --regid="$(id -g "$FPM_MASTER_USER")" --clear-groups --)
        fi
    elif [ "$(id -u)" -eq 0 ]; then
        user_lines=$'user = nobody\ngroup = nogroup'
    else
        user_lines=""
    fi
    sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@WORKERS@|$workers|g" \
        -e "s|@TERMINATE@|${FPM_TERMINATE:-30s}|g" \
        "$here/pool.conf.in" > "$dir/php-fpm.conf"
    printf '%s\n' "$user_lines" >> "$dir/php-fpm.conf"
    : > "$dir/fpm.log"
    : > "$dir/php-errors.log"
    chmod 0666 "$dir/fpm.log" "$dir/php-errors.log"
    # Workers run as nobody (and so may the master): they get copies of what
    # they read, in DIR, wherever the repository itself lives.
    local so="$CLOSTE_SO"
    cp "$here/app.php" "$dir/app.php"
    chmod 0644 "$dir/app.php"
    if [ -n "${FPM_MASTER_USER:-}" ]; then
        so="$dir/libcloste.so"
        cp "$CLOSTE_SO" "$so"
        chmod 0755 "$so"
    fi
    ini_args=(-d "extension=$so" -d log_errors=1 -d "error_log=$dir/php-errors.log" -d display_errors=0)
    if [ -n "${FPM_PRELOAD:-}" ]; then
        cp "$FPM_PRELOAD" "$dir/preload.php"
        chmod 0644 "$dir/preload.php"
        ini_args+=(-d zend_extension=opcache -d opcache.enable=1 -d "opcache.preload=$dir/preload.php")
        if [ -z "${FPM_MASTER_USER:-}" ] && [ "$(id -u)" -eq 0 ]; then
            ini_args+=(-d opcache.preload_user=nobody)
        fi
    fi
    local setting
    for setting in ${FPM_INI:-}; do
        ini_args+=(-d "$setting")
    done
    # The pool passes CLOSTE_SIM_URL and CLOSTE_TEST_KEY on from this
    # environment; the preload script (if any) runs in the master and reads them.
    CLOSTE_SIM_URL="${CLOSTE_SIM_URL:-}" CLOSTE_TEST_KEY="${CLOSTE_TEST_KEY:-}" \
        CLOSTE_PRELOAD_REPORT="$dir/preload.json" \
        "${run_as[@]}" "$bin" -n -F -R -y "$dir/php-fpm.conf" -p "$dir" "${ini_args[@]}" \
        > "$dir/fpm.stdout" 2>&1 &
    echo $! > "$dir/launcher.pid"
    echo "$port" > "$dir/port"
    local i
    for i in $(seq 1 200); do
        if php -n -r 'exit(@fsockopen("127.0.0.1", (int) $argv[1]) ? 0 : 1);' "$port" 2>/dev/null; then
            echo "$port"
            return 0
        fi
        if ! kill -0 "$(cat "$dir/launcher.pid")" 2>/dev/null; then
            break
        fi
        sleep 0.05
    done
    echo "php-fpm did not start; its log:" >&2
    cat "$dir/fpm.log" "$dir/fpm.stdout" >&2
    return 1
}

fpm_master_pid() {
    local dir="$1"
    if [ -s "$dir/fpm.pid" ]; then cat "$dir/fpm.pid"; else cat "$dir/launcher.pid" 2>/dev/null; fi
}

fpm_worker_pids() {
    local master
    master="$(fpm_master_pid "$1")"
    [ -n "$master" ] && pgrep -P "$master" || true
}

fpm_stop() {
    local dir="$1" pid i
    pid="$(fpm_master_pid "$dir")"
    [ -n "$pid" ] || return 0
    kill -QUIT "$pid" 2>/dev/null || return 0
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.05
    done
    kill -TERM "$pid" 2>/dev/null
    sleep 1
    kill -KILL "$pid" 2>/dev/null || true
}

# Routine lines: start-up, readiness, and the orderly shutdown of workers.
fpm_check() {
    local dir="$1" bad
    bad="$(grep -v -E 'NOTICE: (fpm is running|ready to handle connections|Terminating|Finishing|exiting, bye-bye|Reloading|using inherited|systemd monitor)|NOTICE: \[pool [^]]+\] child [0-9]+ (started|exited with code 0|exited on signal 3 \(SIGQUIT\))' "$dir/fpm.log" | grep -v '^\s*$')"
    bad+="$(cat "$dir/php-errors.log" 2>/dev/null)"
    if [ -n "$bad" ]; then
        printf '%s\n' "$bad"
        return 1
    fi
    return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    case "${1:-}" in
        start) fpm_start "${2:?DIR}" ;;
        stop) fpm_stop "${2:?DIR}" ;;
        check) fpm_check "${2:?DIR}" ;;
        *) sed -n '2,12p' "$0"; exit 2 ;;
    esac
fi
