#!/usr/bin/env bash
# Self-signed certificate for tests and first boots: make-self-signed-cert.sh DIR [HOSTNAME]
# Writes DIR/fullchain.pem and DIR/privkey.pem (the names nginx.conf and certbot use). Production uses
# Let's Encrypt (docs/PRODUCTION_DEPLOYMENT.md).
set -euo pipefail
dir="${1:?usage: make-self-signed-cert.sh DIR [HOSTNAME]}"
host="${2:-localhost}"
mkdir -p "$dir"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
  -subj "/CN=$host" -addext "subjectAltName=DNS:$host,DNS:localhost,IP:127.0.0.1" \
  -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem" 2>/dev/null
chmod 0644 "$dir/fullchain.pem"
# The key must be readable by nginx's master process only (root in both images).
chmod 0600 "$dir/privkey.pem"
echo "self-signed certificate for $host in $dir (30 days)"
