# Shared by scripts/start and scripts/test: install what is missing, from npm and Debian only.
# Sourced, not run.

apt_bijgewerkt=0
debian_pakket() { # <command> <debian package>
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "signaalbrug: '$1' ontbreekt; installeer Debian-pakket '$2' (als root: apt-get install $2)" >&2
    exit 1
  fi
  if [ "$apt_bijgewerkt" -eq 0 ]; then
    echo "==> apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_bijgewerkt=1
  fi
  echo "==> apt-get install $2"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null
  # Debian may start a system redis on 6379 where an init system exists; we run our own.
}

npm_pakketten() {
  # Reinstall when package-lock.json changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    # `npm ci`: installs exactly the lockfile and never rewrites it (a reproducible install, as the
    # Dockerfile does). The lockfile lists every platform's optional packages (msgpackr-extract's), so
    # `ci` takes it on any machine; `npm install` is only for changing dependencies.
    echo "==> npm ci (from package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

node_versie_ok() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -lt 20 ]; then
    echo "signaalbrug: Node 20 of nieuwer is nodig (gevonden: $(node --version 2>/dev/null || echo geen))" >&2
    exit 1
  fi
}
