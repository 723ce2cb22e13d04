#!/usr/bin/env bash
# Installs (or upgrades) EasyGas Edge on Raspberry Pi OS — Bookworm or Trixie,
# arm64 or armhf. Idempotent: run it again to upgrade; what is already right is left
# alone, and /etc/easygas/gateway.yaml is never overwritten.
#
#   sudo scripts/install-pi.sh [--enable-i2c] [--enable-uart] [--enable-1wire] [--no-start]
#   scripts/install-pi.sh --dry-run          # print every step, change nothing
#   scripts/install-pi.sh --rollback         # go back to the previous install
#
# Options:
#   --enable-i2c     turn on I2C (dtparam=i2c_arm=on) for the ADS1115
#   --enable-uart    turn on the UART (enable_uart=1) for an ultrasonic sensor and
#                    turn off the serial login console that would hold the port
#   --enable-1wire   turn on 1-Wire (dtoverlay=w1-gpio) for DS18B20 thermometers
#   --with-cloud     also install and start the cloud API unit (easygas-cloud)
#   --no-start       install and enable the service, but do not (re)start it now
#   --dry-run        print every step instead of doing it
#   --root DIR       install under DIR instead of / (packaging and tests); skips
#                    apt, users, groups and systemctl, printing them instead
#   --rollback       restore /opt/easygas.previous (the install before the last)
set -euo pipefail

SRC="$(cd "$(dirname "$0")/.." && pwd)"
DRY_RUN=0 ROOT="" ENABLE_I2C=0 ENABLE_UART=0 ENABLE_1WIRE=0 WITH_CLOUD=0 NO_START=0 ROLLBACK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --root) ROOT="${2:?--root needs a directory}"; shift ;;
    --enable-i2c) ENABLE_I2C=1 ;;
    --enable-uart) ENABLE_UART=1 ;;
    --enable-1wire) ENABLE_1WIRE=1 ;;
    --with-cloud) WITH_CLOUD=1 ;;
    --no-start) NO_START=1 ;;
    --rollback) ROLLBACK=1 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-pi.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

APP="$ROOT/opt/easygas"
PREVIOUS="$ROOT/opt/easygas.previous"
ETC="$ROOT/etc/easygas"
UNITS="$ROOT/etc/systemd/system"
DATA="$ROOT/var/lib/easygas"
REBOOT_NEEDED=0

step() { printf '\n== %s\n' "$*"; }
note() { printf '   %s\n' "$*"; }
# run CMD…: does it, or prints it under --dry-run.
run() {
  if [ "$DRY_RUN" = 1 ]; then printf '   + %s\n' "$*"; else "$@"; fi
}
# system CMD…: like run, but only on a real system (not under --root).
system() {
  if [ -n "$ROOT" ]; then printf '   (skipped under --root) %s\n' "$*"; else run "$@"; fi
}
fail() { echo "install-pi.sh: $*" >&2; exit 1; }

need_root() {
  if [ "$DRY_RUN" = 0 ] && [ -z "$ROOT" ] && [ "$(id -u)" != 0 ]; then
    fail "run it as root (sudo $0 $*), or with --dry-run to see what it would do"
  fi
}

check_platform() {
  step "Checking the platform"
  local id codename arch
  id=$(. /etc/os-release 2>/dev/null && echo "${ID:-unknown}")
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-unknown}")
  arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
  note "OS: $id $codename, architecture $arch"
  case "$codename" in
    bookworm|trixie) ;;
    *) note "WARNING: tested on Raspberry Pi OS Bookworm and Trixie; $codename may work" ;;
  esac
  case "$arch" in
    arm64|armhf|amd64) ;;
    *) note "WARNING: tested on arm64 and armhf; $arch may work" ;;
  esac
  if ! command -v node >/dev/null 2>&1; then
    fail "Node.js 20 or newer is needed and none is installed.
  Trixie:   sudo apt-get install nodejs npm
  Bookworm: its own nodejs is 18 — install Node 20 from NodeSource (https://github.com/nodesource/distributions)
  then run this script again."
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 20 ]; then
    fail "Node.js $(node --version) is too old: 20 or newer is needed (Bookworm's nodejs is 18; use NodeSource's Node 20)."
  fi
  note "Node.js $(node --version), npm $(npm --version 2>/dev/null || echo missing)"
}

install_packages() {
  step "Installing build tools for the native modules (better-sqlite3, serialport, i2c-bus, onoff) and i2c-tools"
  local wanted=(build-essential python3 i2c-tools) missing=()
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ "${#missing[@]}" = 0 ]; then note "already installed: ${wanted[*]}"; return; fi
  system env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  system env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

boot_config() {
  for candidate in "$ROOT/boot/firmware/config.txt" "$ROOT/boot/config.txt"; do
    [ -f "$candidate" ] && { echo "$candidate"; return; }
  done
  echo "$ROOT/boot/firmware/config.txt"
}

# ensure_line FILE LINE: appends LINE to FILE unless it is already there.
ensure_line() {
  local file="$1" line="$2"
  if [ -f "$file" ] && grep -qxF "$line" "$file"; then note "$file already has $line"; return; fi
  REBOOT_NEEDED=1
  if [ "$DRY_RUN" = 1 ]; then printf '   + append "%s" to %s\n' "$line" "$file"; return; fi
  mkdir -p "$(dirname "$file")"
  printf '%s\n' "$line" >> "$file"
  note "added $line to $file"
}

enable_interfaces() {
  [ "$ENABLE_I2C$ENABLE_UART$ENABLE_1WIRE" = 000 ] && return
  step "Enabling the interfaces asked for (takes effect after a reboot)"
  local config; config=$(boot_config)
  [ "$ENABLE_I2C" = 1 ] && ensure_line "$config" "dtparam=i2c_arm=on"
  [ "$ENABLE_1WIRE" = 1 ] && ensure_line "$config" "dtoverlay=w1-gpio"
  if [ "$ENABLE_UART" = 1 ]; then
    ensure_line "$config" "enable_uart=1"
    local cmdline="${config%config.txt}cmdline.txt"
    if [ -f "$cmdline" ] && grep -qE 'console=(serial0|ttyAMA0|ttyS0),[0-9]+' "$cmdline"; then
      REBOOT_NEEDED=1
      run sed -i -E 's/ ?console=(serial0|ttyAMA0|ttyS0),[0-9]+//' "$cmdline"
      note "removed the serial login console from $cmdline (it would hold the UART)"
    else
      note "no serial console in $cmdline"
    fi
    system systemctl disable --now serial-getty@ttyS0.service serial-getty@ttyAMA0.service
  fi
}

create_user() {
  step "Creating the service user 'easygas' (groups gpio, i2c, dialout)"
  if [ -n "$ROOT" ]; then note "(skipped under --root) user and groups"; return; fi
  for group in gpio i2c dialout; do
    getent group "$group" >/dev/null || run groupadd --system "$group"
  done
  if id easygas >/dev/null 2>&1; then
    note "user easygas exists"
    run usermod -a -G gpio,i2c,dialout easygas
  else
    run useradd --system --home-dir /var/lib/easygas --shell /usr/sbin/nologin --groups gpio,i2c,dialout easygas
  fi
}

# A fingerprint of the source tree (file names and contents), to tell an upgrade from a re-run.
source_fingerprint() {
  (cd "$SRC" && find . \( -path ./node_modules -o -path ./dist -o -path ./.git -o -path ./.data \) -prune -o -type f -print0 \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

install_code() {
  step "Installing the code into /opt/easygas (the previous install is kept for --rollback)"
  local fingerprint; fingerprint=$(source_fingerprint)
  if [ -f "$APP/.fingerprint" ] && [ "$(cat "$APP/.fingerprint")" = "$fingerprint" ] && [ -f "$APP/dist/gateway/cli/main.js" ]; then
    note "this version is already installed in $APP"; return
  fi
  local staging="$APP.new"
  run rm -rf "$staging"
  run mkdir -p "$staging"
  # The source tree without what npm ci rebuilds and what belongs to a developer.
  run tar -C "$SRC" --exclude=./node_modules --exclude=./dist --exclude=./.git --exclude=./.data -cf "$staging.tar" .
  run tar -C "$staging" -xf "$staging.tar"
  run rm -f "$staging.tar"
  # npm ci compiles TypeScript (prepare) and the native modules; then drop the dev tools.
  run bash -c "cd '$staging' && npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund"
  if [ -d "$APP" ]; then
    run rm -rf "$PREVIOUS"
    run mv "$APP" "$PREVIOUS"
  fi
  run mv "$staging" "$APP"
  if [ "$DRY_RUN" = 0 ]; then printf '%s\n' "$fingerprint" > "$APP/.fingerprint"; fi
}

install_config() {
  step "Installing the example config as /etc/easygas/gateway.yaml (never overwritten)"
  run mkdir -p "$ETC"
  if [ -f "$ETC/gateway.yaml" ]; then
    note "$ETC/gateway.yaml exists: kept as it is"
    # An older format is rewritten by the new code, the old file kept as gateway.yaml.v<N>.bak.
    run node "$APP/bin/easygas.js" config migrate --config "$ETC/gateway.yaml"
  else
    run install -m 0640 "$SRC/gateway/config/gateway.example.yaml" "$ETC/gateway.yaml"
    note "edit it for your home, then: easygas config check"
  fi
  if [ -z "$ROOT" ]; then run chown root:easygas "$ETC/gateway.yaml"; fi
  run mkdir -p "$DATA"
}

install_units() {
  step "Installing the systemd units"
  run mkdir -p "$UNITS"
  local units=(easygas-gateway.service)
  [ "$WITH_CLOUD" = 1 ] && units+=(easygas-cloud.service)
  for unit in "${units[@]}"; do
    if [ -f "$UNITS/$unit" ] && cmp -s "$SRC/systemd/$unit" "$UNITS/$unit"; then
      note "$unit is up to date"
    else
      run install -m 0644 "$SRC/systemd/$unit" "$UNITS/$unit"
    fi
  done
  system systemctl daemon-reload
  for unit in "${units[@]}"; do
    system systemctl enable "$unit"
    [ "$NO_START" = 1 ] || system systemctl restart "$unit"
  done
}

link_cli() {
  step "Putting the easygas command on the PATH"
  run mkdir -p "$ROOT/usr/local/bin"
  run ln -sfn /opt/easygas/bin/easygas.js "$ROOT/usr/local/bin/easygas"
}

rollback() {
  need_root
  step "Rolling back to the previous install"
  [ -d "$PREVIOUS" ] || fail "there is no previous install at $PREVIOUS"
  system systemctl stop easygas-gateway.service
  run rm -rf "$APP.failed"
  [ -d "$APP" ] && run mv "$APP" "$APP.failed"
  run mv "$PREVIOUS" "$APP"
  note "if the upgrade migrated the config, the old file is /etc/easygas/gateway.yaml.v<N>.bak: cp it back over gateway.yaml"
  system systemctl start easygas-gateway.service
  note "done: /opt/easygas is the previous version again; the failed one is in $APP.failed"
}

main() {
  [ "$DRY_RUN" = 1 ] && echo "Dry run: nothing will be changed."
  if [ "$ROLLBACK" = 1 ]; then rollback; return; fi
  need_root
  check_platform
  install_packages
  enable_interfaces
  create_user
  install_code
  install_config
  install_units
  link_cli
  step "Done"
  note "status: systemctl status easygas-gateway; logs: journalctl -u easygas-gateway -f"
  note "check the wiring and settings with: easygas doctor"
  [ "$REBOOT_NEEDED" = 1 ] && note "REBOOT to turn on the interfaces you enabled: sudo reboot"
  return 0
}

main
