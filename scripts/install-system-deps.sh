#!/usr/bin/env bash
# Installs the system packages the integration tests use for real: Debian's chromium for the admin
# pages, Postfix for the MTA integration, PostgreSQL for multi-node tests, QEMU for the power-cut
# test, and the libraries and users of the MTA labs (tools/*_lab), whose MTAs are only downloaded
# and unpacked by the labs themselves: installing any of them would remove Postfix. Idempotent: installs
# only what is missing. Needs root (CI and the dev machines run as root) or sudo.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# The labs' `apt-get download` needs package lists.
compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || $SUDO apt-get update -q
# Users the unpacked MTAs look up: Debian's exim4 has Debian-exim compiled in (without it the lab
# needs `unshare -m` to add one in a private mount namespace); smtpd drops privileges to these two.
getent passwd Debian-exim >/dev/null \
  || $SUDO useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin Debian-exim
for user in opensmtpd opensmtpq; do
  id -u "$user" >/dev/null 2>&1 || $SUDO useradd -r -M -d /var/lib/opensmtpd -s /usr/sbin/nologin "$user"
done
# libevent and libdb: smtpd's libraries; libssl3: dma's; libgnutls30: nullmailer's; openssl: the
# chasquid lab's certificate (the labs unpack the rest themselves; the Haraka lab installs Haraka
# from npm into its cache, with the machine's node and npm).
# qemu-system-x86, busybox-static and e2fsprogs: the power-cut test's guest (tools/power_cut_vm),
# whose kernel it downloads and unpacks itself.
want=(chromium chromium-driver postfix postgresql libevent-2.1-7 libdb5.3 libssl3 libgnutls30 openssl
  qemu-system-x86 busybox-static e2fsprogs)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
echo "postfix postfix/mailname string localhost" | $SUDO debconf-set-selections
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
