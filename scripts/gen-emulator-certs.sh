#!/usr/bin/env bash
# Generates the emulators' TEST-ONLY TLS material into provider/emulators/certs/ (committed; run once, or again to
# replace it): a CA and a server certificate for 127.0.0.1 and localhost signed by it, both valid for 36500 days, so
# tests and benchmarks can speak HTTPS to the local emulators with certificate verification ON (clients trust ca.pem
# through NODE_EXTRA_CA_CERTS or their own CA setting, never by turning verification off).
#
#   bash scripts/gen-emulator-certs.sh
#
# The server's private key is committed on purpose (the emulators must start anywhere without a setup step), so this
# CA must never be trusted for anything but the loopback emulators. The CA's own key is thrown away: nobody can sign
# another certificate with this CA, not even us (re-running the script makes a new CA).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/provider/emulators/certs"
command -v openssl >/dev/null || { echo "gen-emulator-certs: openssl is not installed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
days=36500

# The CA: an EC P-256 key, self-signed, CA:true and allowed to sign certificates only.
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days "$days" \
    -keyout "$work/ca-key.pem" -out "$work/ca.pem" \
    -subj "/O=pulumi-cloudphone/CN=pulumi-cloudphone emulator test CA (test only, key public)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

# The server: its own key, a request, and the certificate the CA signs for exactly 127.0.0.1 and localhost.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 \
    -keyout "$work/server-key.pem" -out "$work/server.csr" \
    -subj "/O=pulumi-cloudphone/CN=127.0.0.1" 2>/dev/null
cat > "$work/server.ext" <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EXT
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca-key.pem" -CAcreateserial \
    -sha256 -days "$days" -extfile "$work/server.ext" -out "$work/server.pem" 2>/dev/null

openssl verify -CAfile "$work/ca.pem" "$work/server.pem" >/dev/null
mkdir -p "$out"
cp "$work/ca.pem" "$work/server.pem" "$work/server-key.pem" "$out/"
chmod 644 "$out"/*.pem
echo "gen-emulator-certs: wrote ca.pem, server.pem, server-key.pem to ${out#"$root"/}" >&2
