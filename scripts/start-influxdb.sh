#!/usr/bin/env bash
# Starts Debian's InfluxDB 1.x on loopback (127.0.0.1:8086) for the store tests, if none answers.
set -euo pipefail
if curl -fs -o /dev/null http://127.0.0.1:8086/ping; then exit 0; fi
if ! command -v influxd >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q </dev/null
  apt-get install -y -q influxdb </dev/null
fi
dir=/var/lib/influxdb-ferrotrade
mkdir -p "$dir"
INFLUXDB_REPORTING_DISABLED=true \
INFLUXDB_BIND_ADDRESS=127.0.0.1:8088 \
INFLUXDB_HTTP_BIND_ADDRESS=127.0.0.1:8086 \
INFLUXDB_HTTP_LOG_ENABLED=false \
INFLUXDB_META_DIR="$dir/meta" \
INFLUXDB_DATA_DIR="$dir/data" \
INFLUXDB_DATA_WAL_DIR="$dir/wal" \
INFLUXDB_DATA_QUERY_LOG_ENABLED=false \
  setsid nohup influxd -config /etc/influxdb/influxdb.conf >"$dir/influxd.log" 2>&1 </dev/null &
for _ in $(seq 100); do
  curl -fs -o /dev/null http://127.0.0.1:8086/ping && exit 0
  sleep 0.1
done
echo "influxd did not answer on 127.0.0.1:8086; see $dir/influxd.log" >&2
exit 1
