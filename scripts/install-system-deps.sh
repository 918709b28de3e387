#!/usr/bin/env bash
# Installs the system packages the integration tests use for real: Debian's chromium for the admin
# pages, Postfix for the MTA integration, PostgreSQL for multi-node tests. Idempotent: installs only
# what is missing. Needs root (CI and the dev machines run as root) or sudo.
set -euo pipefail
want=(chromium chromium-driver postfix postgresql)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
echo "postfix postfix/mailname string localhost" | $SUDO debconf-set-selections
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
