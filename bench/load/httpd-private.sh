#!/usr/bin/env bash
# Start / stop a private Apache httpd (worker MPM, one process) serving one
# small static file, for the load benchmark. Never touches the system
# config or service: everything lives under DIR.
#   httpd-private.sh start DIR PORT   -> prints the pid; waits until ready
#   httpd-private.sh stop DIR         -> stops exactly that server (its pid)
set -euo pipefail
cmd=$1 dir=$2
APACHE2=${APACHE2:-/usr/sbin/apache2}
MODS=${APACHE2_MODULES_DIR:-/usr/lib/apache2/modules}

stop() {
    local pidf=$dir/run/httpd.pid
    [ -f "$pidf" ] || return 0
    local pid; pid=$(cat "$pidf")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidf"
}

start() {
    local port=$1
    mkdir -p "$dir/run" "$dir/htdocs" "$dir/logs"
    printf 'hello from modcert bench\n' > "$dir/htdocs/index.txt"
    local user_lines=""
    [ "$(id -u)" = 0 ] && user_lines="User nobody
Group nogroup"
    cat > "$dir/httpd.conf" <<CONF
ServerRoot "$dir"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$dir/run/httpd.pid"
DefaultRuntimeDir "$dir/run"
ErrorLog "$dir/logs/error.log"
LogLevel warn
$user_lines
LoadModule mpm_worker_module $MODS/mod_mpm_worker.so
LoadModule authz_core_module $MODS/mod_authz_core.so
LoadModule mime_module $MODS/mod_mime.so
TypesConfig /dev/null
AddType text/plain .txt
StartServers 1
ServerLimit 1
ThreadLimit 64
ThreadsPerChild 64
MinSpareThreads 1
MaxSpareThreads 64
MaxRequestWorkers 64
MaxConnectionsPerChild 0
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 15
DocumentRoot "$dir/htdocs"
<Directory "$dir/htdocs">
    Require all granted
</Directory>
CONF
    chmod 755 "$dir" "$dir/htdocs"
    chmod 644 "$dir/htdocs/index.txt"
    "$APACHE2" -f "$dir/httpd.conf" -k start
    for _ in $(seq 100); do
        if [ -f "$dir/run/httpd.pid" ] && (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
            cat "$dir/run/httpd.pid"; return 0
        fi
        sleep 0.1
    done
    echo "httpd did not start; see $dir/logs/error.log" >&2
    stop; return 1
}

case $cmd in
    start) start "$3" ;;
    stop) stop ;;
    *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
