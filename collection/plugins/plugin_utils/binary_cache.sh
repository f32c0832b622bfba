# shellcheck shell=sh
# Copyright: stsgo.aws maintainers (@stsgo-aws)
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The host side of the stsgo.aws binary cache, in POSIX sh (dash, bash,
# busybox sh, BSD sh). The action plugin reads this file once, fills in the
# platform table and sends it as one command per step, its arguments set
# with `set --`: a marker chosen for the task, the step, the host's
# `uname -sm` as the controller knows it (or nothing), then the step's own.
#
# Replies are lines "MARKER name=value", found by the plugin wherever they
# are in the output, so that what a login shell prints around them does not
# matter. A step that runs the module prints no final reply: the module's
# output is the result.
#
#   run MODULE CHECK FOLDER...   run the cached binary from the first folder
#                                that has it; or reply miss=absent, tampered,
#                                nohash or platform and, but in check mode,
#                                the folder to install it into (choose)
#   install UNPACK FOLDER        write the binary (standard input, xz when
#                                UNPACK is xz) into FOLDER, remove the other
#                                versions there (pruned=, one per folder);
#                                reply installed= or failed=
#
# FOLDER is a cache folder as the user wrote it: absolute, ~, ~/…, $HOME/…
# or $XDG_RUNTIME_DIR/…. The binary of hash H is FOLDER/H/stsgo-aws; next to
# it, stsgo-aws.stamp holds what stat says of it (inode, ctime, size) once
# its SHA-256 was checked. A write, a rename or a chmod changes the ctime, so
# while the stamp matches, the binary is the one that was checked.
#
# A warm run costs one stat besides the binary: the controller passes the
# platform a previous task found, and ownership is the shell's own -O test.
# Nothing is installed on the strength of the controller's word: a miss asks
# uname first.

k=$1 step=$2 u=$3
shift 3
# The platform, the binary's SHA-256 and its size; pick sets them.
p='' h='' z=''
reply() { for a do printf '%s %s\n' "$k" "$a"; done; }
finish() { reply "$@"; exit 0; }
nl='
' tab='	'

# pick sets p, h and z to the platform, hash and size of `uname -sm`'s $u.
pick() {
  case $u in
  # @PLATFORMS@ (the plugin puts a line per platform here)
  *) return 1;;
  esac
}

# known makes $u what uname says, replies it when the controller did not
# know it, and picks its platform, or finishes with miss=platform.
known() {
  was=$u
  u=$(uname -sm 2>/dev/null)
  pick || finish uname="$u" miss=platform
  [ "$u" = "$was" ] || reply uname="$u"
}

# sha prints a file's SHA-256 with whichever tool the host has.
sha() {
  if command -v sha256sum >/dev/null 2>&1; then v=$(sha256sum "$1")
  elif command -v shasum >/dev/null 2>&1; then v=$(shasum -a 256 "$1")
  elif command -v sha256 >/dev/null 2>&1; then v=$(sha256 -q "$1")
  elif command -v openssl >/dev/null 2>&1; then v=$(openssl dgst -sha256 -r "$1")
  else return 2; fi
  printf '%s\n' "${v%% *}"
}

# stat_ says, for each path, its permission bits in octal, inode, ctime
# and size: stat -c as GNU and busybox spell it, else stat -f as the BSDs
# and macOS do. It fails where the host has no stat that says them.
stat_() {
  TZ=UTC0 stat -c '%a %i %z %s' "$@" 2>/dev/null || stat -f '%Lp %i %.9Fc %z' "$@" 2>/dev/null
}

# statq is stat_ in the command substitution's own process: the form the
# system uname names spells, exec'd there, saves a warm run a fork. A
# wrong guess fails, and look then asks stat_ itself.
statq() {
  case $u in
  Linux\ *) TZ=UTC0 exec stat -c '%a %i %z %s' "$@" 2>/dev/null;;
  Darwin\ * | *BSD\ * | DragonFly\ *) exec stat -f '%Lp %i %.9Fc %z' "$@" 2>/dev/null;;
  *) stat_ "$@";;
  esac
}

# stamp sets s to a file's inode, ctime and size, or fails with s empty.
stamp() {
  s=$(stat_ "$1") || s=
  case $s in [0-7]*' '[0-9]*) s=${s#* };; *) s=; return 1;; esac
}

# look is safe with one stat and no other command, and sets s to the
# stamp of the last path, as stamp does. Ownership is the shell's -O test
# (dash, bash, busybox, the BSDs' and macOS's sh have it); without it, or
# without stat, it asks safe and stamp.
look() {
  s=
  if ! o=$(statq "$@") || ! testO; then
    safe "$@" || return
    stamp "$3"
    return 0
  fi
  for f do
    # shellcheck disable=SC3067 # testO said the shell has -O
    if ! [ -O "$f" ] || [ -h "$f" ] || ! { [ -d "$f" ] || [ -f "$f" ]; }; then
      return 1
    fi
  done
  set -f
  IFS=$nl
  # shellcheck disable=SC2086 # a line per path
  set -- $o
  IFS=" $tab$nl"
  set +f
  [ $# = 3 ] || return 1
  for line do
    case ${line%% *} in *[2367]? | *[2367]) return 1;; esac
  done
  s=${3#* }
}

# testO reports whether the shell's test has -O, which POSIX leaves out:
# without it, [ -O ] fails with status 2.
testO() {
  # shellcheck disable=SC3067 # what this asks
  [ -O / ] 2>/dev/null
  # shellcheck disable=SC2319 # the status of [ -O / ] itself
  [ $? -lt 2 ]
}

# safe fails unless each path is a directory or a regular file, not a
# symlink, owned by this user and writable by nobody else.
safe() {
  me=${me:-$(id -u)}
  n=$#
  l=$(ls -ldn "$@" 2>/dev/null) || return 1
  set -f
  IFS=$nl
  # shellcheck disable=SC2086 # a line per path
  set -- $l
  IFS=" $tab$nl"
  for line do
    # shellcheck disable=SC2086 # ls's fields
    set -- $line
    case $1 in [d-]????[!w]??[!w]*) ;; *) n=-1; break;; esac
    [ "$3" = "$me" ] || { n=-1; break; }
    n=$((n - 1))
  done
  set +f
  [ "$n" = 0 ]
}

# folder sets r to the cache folder FOLDER names, or why to the reason it
# names none.
# shellcheck disable=SC2016,SC2088 # the folders as the user wrote them
folder() {
  case $1 in
  "~" | '$HOME' | "~/"* | '$HOME/'*)
    [ -n "${HOME:-}" ] || { why=nohome; return 1; }
    case $1 in */*) r=$HOME/${1#*/};; *) r=$HOME;; esac;;
  '$XDG_RUNTIME_DIR/'*)
    [ -n "${XDG_RUNTIME_DIR:-}" ] || { why=noxdg; return 1; }
    [ -d "$XDG_RUNTIME_DIR" ] || { why="noxdgdir $XDG_RUNTIME_DIR"; return 1; }
    r=$XDG_RUNTIME_DIR/${1#*/};;
  /*) r=$1;;
  *) why=relative; return 1;;
  esac
}

# fresh reports whether the binary in folder $d is the one of hash $h: by
# its stamp $s (look sets it), else by its SHA-256, which then stamps it
# (not in check mode). It returns 1 for another binary, 2 when the host
# cannot hash it.
fresh() {
  if [ -n "$s" ] && [ -f "$d/stsgo-aws.stamp" ] && read -r was < "$d/stsgo-aws.stamp" && [ "$s" = "$was" ]; then
    return 0
  fi
  v=$(sha "$d/stsgo-aws") || return 2
  [ "$v" = "$h" ] || return 1
  [ -z "$s" ] || [ "$check" = check ] || record
  return 0
}

# record writes the stamp $s of the binary in $d, in one rename.
record() {
  { printf '%s\n' "$s" > "$d/.stamp.$$" && mv -f "$d/.stamp.$$" "$d/stsgo-aws.stamp"; } 2>/dev/null || rm -f "$d/.stamp.$$"
}

# prune removes this user's binaries of other versions from the cache
# folder $r: in each folder named by a SHA-256 but $h that passes safe, the
# binary and its stamp, then the folder when nothing else is left in it (a
# concurrent install's temporary file keeps it). A binary another task is
# running keeps running: removing it only unlinks its name.
prune() {
  for o in "$r"/*; do
    n=${o##*/}
    case $n in "$h" | *[!0-9a-f]*) continue;; esac
    if [ ${#n} != 64 ] || ! [ -d "$o" ] || [ -h "$o" ] || ! safe "$o"; then
      continue
    fi
    rm -f "$o/stsgo-aws" "$o/stsgo-aws.stamp"
    rmdir "$o" 2>/dev/null
    reply pruned="$o"
  done
}

# unxz says whether the host can decompress xz.
unxz() { if command -v xz >/dev/null 2>&1; then echo yes; else echo no; fi; }

# last is the last line of an error message.
last() { e=${1%"$nl"}; printf '%s' "${e##*"$nl"}"; }

# choose replies target=FOLDER, the first of the folders that can hold the
# binary (SIZE bytes, $z) and run it, creating it if need be; each folder
# tried before it as folderN= (where it is) and whyN= (why not). With none,
# it finishes with failed=unusable. Nothing crosses the connection before a
# folder was chosen.
choose() {
  i=0
  for f do
    i=$((i + 1)) why=
    if folder "$f"; then
      c=$r/$h
      if ! e=$( (umask 077; mkdir -p "$c") 2>&1 ); then
        why="mkdir $(last "$e")"
      elif ! safe "$r" "$c"; then
        why=unsafe
      else
        # The free space: df -P's Available column, the one before
        # Capacity (the only field ending in %).
        free='' prev=''
        # shellcheck disable=SC2046 # df's words
        for w in $(df -Pk "$c" 2>/dev/null); do
          case $w in *%) free=$prev;; esac
          prev=$w
        done
        probe=$c/.stsgo-probe.$$
        if [ -n "$free" ] && [ "$free" -lt $(((z + 1023) / 1024)) ]; then
          why="space $free"
        elif ! e=$( { printf 'exit 0\n' > "$probe" && chmod 0700 "$probe"; } 2>&1 ); then
          why="write $(last "$e")"
        elif ! "$probe" > /dev/null 2>&1; then
          # A binary left there could not run either.
          why=noexec
          rm -f "$c/stsgo-aws" "$c/stsgo-aws.stamp"
        fi
        rm -f "$probe"
      fi
      [ -n "$why" ] || { reply target="$r"; return 0; }
      rmdir "$c" 2> /dev/null
      reply folder$i="$r"
    fi
    reply why$i="$why"
  done
  finish miss="$miss" failed=unusable platform="$p"
}

# hit runs the cached binary from the first folder that has it, and exits
# with its status; else it returns, miss set to why.
hit() {
  miss=absent
  for f do
    folder "$f" || continue
    d=$r/$h
    [ -f "$d/stsgo-aws" ] || continue
    look "$r" "$d" "$d/stsgo-aws" || { reply unsafe="$d"; continue; }
    fresh
    case $? in 1) miss=tampered; reply tampered="$d"; return;; 2) finish miss=nohash platform="$p";; esac
    # A binary that cannot be run (a folder remounted noexec) exits 126
    # without reading its input: the next folder may run it. One thread of
    # Go's scheduler starts faster, and the module needs no more.
    GOMAXPROCS=${GOMAXPROCS:-1} "$d/stsgo-aws" "$m" -
    e=$?
    [ "$e" = 126 ] || exit "$e"
    reply noexec="$d"
  done
}

case $step in
run)
  m=$1 check=$2
  shift 2
  # The controller's platform first; on a miss, uname's, when it differs.
  if [ -n "$u" ] && pick; then
    hit "$@"
    was=$h
    known
    [ "$h" = "$was" ] || hit "$@"
  else
    known
    hit "$@"
  fi
  if [ "$check" != check ]; then
    sha /dev/null > /dev/null || finish miss=nohash platform="$p"
    choose "$@"
  fi
  finish miss="$miss" platform="$p" xz="$(unxz)"
  ;;
install)
  # UNPACK FOLDER: the folder choose picked.
  known
  r=$2 d=$2/$h
  t=$d/.stsgo-aws.$$
  if [ "$1" = xz ]; then unpack='xz -dc'; else unpack='cat'; fi
  # shellcheck disable=SC2086 # the command and its option
  if ! e=$( (umask 077; $unpack > "$t") 2>&1 ); then
    rm -f "$t"
    cat > /dev/null
    finish failed=write why="write $(last "$e")"
  fi
  v=$(sha "$t") || { rm -f "$t"; finish failed=nohash; }
  [ "$v" = "$h" ] || { rm -f "$t"; finish failed=corrupt; }
  e=$( { chmod 0700 "$t" && mv -f "$t" "$d/stsgo-aws"; } 2>&1 ) || { rm -f "$t"; finish failed=write why="write $(last "$e")"; }
  if stamp "$d/stsgo-aws"; then record; else rm -f "$d/stsgo-aws.stamp"; fi
  prune
  finish installed="$r"
  ;;
esac
