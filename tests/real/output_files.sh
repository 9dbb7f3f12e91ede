#!/usr/bin/env bash
# -o FILE: written atomically over a regular file (a temporary file renamed
# into place), keeping its mode; straight into what is not a regular file
# (a FIFO, a device, standard output), never replacing it; through a
# symbolic link to its target; into a file with other names in place, so
# hard links stay links. A failure leaves nothing behind.
# usage: output_files.sh PARITY_BINARY TESTS_DIR
set -u
bin=$1
data=$2/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # what, condition...
  local what=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $what"; fi
}
run() { timeout 20 "$bin" representation --input "$data/messy.csv" --format csv "$@"; }
run > "$tmp/want.csv"

# a FIFO: its reader gets the output; it is still a FIFO
mkfifo "$tmp/fifo"
timeout 20 cat "$tmp/fifo" > "$tmp/got_fifo" &
reader=$!
run -o "$tmp/fifo"
wait $reader
check "fifo: the reader gets the output" cmp -s "$tmp/want.csv" "$tmp/got_fifo"
check "fifo: still a FIFO" test -p "$tmp/fifo"

# a character device stays one (a null device of the test's own, where one
# can be made: never the system's)
if mknod "$tmp/null" c 1 3 2>/dev/null; then
  run -o "$tmp/null"
  check "device: still a character device" test -c "$tmp/null"
fi

# /dev/stdout, standard output being a file: the output lands in that file
run -o /dev/stdout > "$tmp/via_stdout"
check "/dev/stdout: into standard output" cmp -s "$tmp/want.csv" "$tmp/via_stdout"
check "/dev/stdout: still not a regular file" test ! -f /proc/self/fd/0 -o -L /dev/stdout

# an existing file keeps its mode; a hard link stays a link
echo old > "$tmp/a.csv"
chmod 0644 "$tmp/a.csv"
ln "$tmp/a.csv" "$tmp/b.csv"
run -o "$tmp/a.csv"
check "hard link: the other name sees the new content" cmp -s "$tmp/want.csv" "$tmp/b.csv"
check "hard link: two names still" test "$(stat -c %h "$tmp/a.csv")" = 2
check "mode kept: 0644" test "$(stat -c %a "$tmp/a.csv")" = 644
echo old > "$tmp/c.csv"
chmod 0640 "$tmp/c.csv"
run -o "$tmp/c.csv"
check "mode kept: 0640" test "$(stat -c %a "$tmp/c.csv")" = 640
check "replaced: new content" cmp -s "$tmp/want.csv" "$tmp/c.csv"

# a new file: 0666 less the umask
(umask 022; run -o "$tmp/new.csv")
check "new file: 0644 under umask 022" test "$(stat -c %a "$tmp/new.csv")" = 644

# a symbolic link: written through, the link kept
echo old > "$tmp/target.csv"
ln -s "$tmp/target.csv" "$tmp/link.csv"
run -o "$tmp/link.csv"
check "symlink: still a link" test -L "$tmp/link.csv"
check "symlink: the target has the output" cmp -s "$tmp/want.csv" "$tmp/target.csv"

# a failure leaves nothing half-written
run -o "$tmp/no/such/dir/x.csv" 2> "$tmp/err"
check "failure: exit 1 with the reason" grep -q "cannot write" "$tmp/err"
check "failure: no temporary file left" test -z "$(ls "$tmp" | grep tmp)"

echo "output files: $pass passed, $fail failed"
[ $fail -eq 0 ]
