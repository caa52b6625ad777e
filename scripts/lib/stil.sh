# Sourced by scripts/test and .ci/run: a passing test run is quiet.
#
# geen_sporen <log>: fails when the log of a passing run holds a stack trace (an indented
# `at fn (file:line:col)`, also with the ` {` of an inspected error) or ECONNREFUSED: a client left
# reconnecting to a stopped Redis, or an error printed raw instead of logged. Tap's YAML diagnostics
# (between `---` and `...`) are skipped: they quote stacks without `at`, and a passing run has none.
geen_sporen() {
  if ! awk '
    /^[ \t]*---[ \t]*$/ { yaml = 1; next }
    yaml && /^[ \t]*\.\.\.[ \t]*$/ { yaml = 0; next }
    yaml { next }
    /ECONNREFUSED/ || /\[ioredis\] Unhandled error event/ ||
    /^[ \t]+at .*:[0-9]+:[0-9]+/ {
      if (n++ < 20) printf "%s:%d: %s\n", FILENAME, FNR, $0
    }
    END { if (n) { printf "%d noisy line(s) in a passing run\n", n; exit 1 } }
  ' "$1" >&2; then
    echo "signaalbrug: the tests passed, but printed stack traces or ECONNREFUSED (see above)" >&2
    return 1
  fi
}
