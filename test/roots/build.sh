#!/bin/sh
# Builds the Debian root filesystems the tests run ansible-core in, one per
# suite named on the command line (default: trixie forky), in parallel, from
# the Debian mirror this machine's own apt sources use. Each root lives in
# $STSGO_ROOTS/<suite> (default /var/cache/stsgo-test-roots), outside the work
# tree, and is reused while its stamp records the same recipe.
#
# A root is built in a temporary directory beside its final place and renamed
# into place only once complete, so an interrupted build never leaves a root
# that looks finished. Mounts are made in a private mount namespace that dies
# with the build, so none outlives it. Needs root, debootstrap and unshare.
set -eu

ROOTS=${STSGO_ROOTS:-/var/cache/stsgo-test-roots}
HERE=$(cd "$(dirname "$0")" && pwd)

# The recipe: bump RECIPE_VERSION whenever the steps below change what ends
# up in a root; the package list and versions.py are hashed in as they are.
RECIPE_VERSION=1
# Debian's ansible brings ansible-core and the reference collections
# (amazon.aws, community.aws); boto3 and botocore are what they import;
# paramiko and the ssh client are for connections the tests make to a
# loopback sshd; ca-certificates lets botocore load its default CA bundle.
# The linters ansible-test sanity runs, and what its tests import, come from
# Debian rather than PyPI: pylint, python3-pycodestyle (pep8), yamllint,
# python3-voluptuous (runtime-metadata, validate-modules) and shellcheck;
# ansible-lint lints the collection as a whole.
# No locales package: glibc has C.UTF-8 built in, which is all ansible-core
# 2.19+ asks for.
PACKAGES="ansible python3-boto3 python3-botocore openssh-client python3-paramiko ca-certificates \
	pylint python3-pycodestyle yamllint python3-voluptuous shellcheck ansible-lint"

log() { echo "roots: $*" >&2; }
die() { log "$*"; exit 1; }

# mirror prints the URI of the host's main Debian archive: the first URI of
# the apt source (deb822 .sources stanza or one-line .list entry) of type
# deb whose suites include the host's own codename. Read at run time, so no
# mirror is written down anywhere.
mirror() {
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v want="$codename" '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " want " ") && uri != "") { print uri; found = 1; exit }
				types = ""; suites = ""; uri = ""
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			{ key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^[ \t]+/, "") }
			key == "types" { types = $0 }
			key == "suites" { suites = $0 }
			key == "uris" { split($0, u, /[ \t]+/); uri = u[1] }
			END { if (!found) flush() }
		' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		# deb [options] URI suite components...
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
			awk -v want="$codename" '$1 == "deb" && $3 == want { print $2 }'
	done
}

recipe() {
	{
		echo "recipe $RECIPE_VERSION"
		echo "suite $1"
		echo "packages $PACKAGES"
		cat "$HERE/versions.py"
	} | sha256sum | cut -d' ' -f1
}

# in_root runs a command chrooted into $1 with /proc and /dev mounted, in a
# private mount namespace so the mounts vanish with the command.
in_root() {
	dir=$1
	shift
	unshare --mount --propagation private sh -eu -c '
		dir=$1; shift
		mount -t proc proc "$dir/proc"
		mount --rbind /dev "$dir/dev"
		exec chroot "$dir" "$@"
	' in_root "$dir" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# build makes the root of suite $1 in the new directory $2.
build() {
	suite=$1 dir=$2 uri=$3
	# Bookworm's debootstrap predates forky: sid's script fits any suite it
	# has no script for, as every later suite bootstraps like unstable.
	script=/usr/share/debootstrap/scripts/$suite
	[ -e "$script" ] || script=/usr/share/debootstrap/scripts/sid
	# debootstrap checks the Release signature with gpgv, which ignores
	# Valid-Until, so a frozen mirror of testing still bootstraps.
	debootstrap --variant=minbase "$suite" "$dir" "$uri" "$script"
	# A frozen mirror's testing Release is past its Valid-Until; the root is
	# built once from it and never upgraded, so apt is told not to mind.
	echo 'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/99stsgo-roots"
	# Nothing may start services inside a chroot.
	printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
	chmod 0755 "$dir/usr/sbin/policy-rc.d"
	in_root "$dir" apt-get update -qq
	in_root "$dir" apt-get install -y -qq --no-install-recommends $PACKAGES
	in_root "$dir" apt-get clean
	rm -rf "$dir"/var/lib/apt/lists/* "$dir/usr/sbin/policy-rc.d"
	# Tests reach only loopback: localhost names both loopback addresses, and
	# any other name is looked up on 127.0.0.1, where nothing answers.
	printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$dir/etc/hosts"
	rm -f "$dir/etc/resolv.conf"
	echo 'nameserver 127.0.0.1' >"$dir/etc/resolv.conf"
	cp "$HERE/versions.py" "$dir/tmp/stsgo-versions.py"
	in_root "$dir" python3 /tmp/stsgo-versions.py >"$dir/stsgo-versions.json"
	rm -f "$dir/tmp/stsgo-versions.py"
}

# one builds or reuses the root of suite $1, under a lock so two builds of
# the same suite never race.
one() {
	suite=$1 uri=$2
	final=$ROOTS/$suite
	want=$(recipe "$suite")
	exec 9>"$ROOTS/.$suite.lock"
	flock 9
	if [ "$(cat "$final/stsgo-recipe" 2>/dev/null || true)" = "$want" ]; then
		log "$suite: up to date in $final"
		return 0
	fi
	# Leftovers of interrupted builds: their mounts died with them, so they
	# are plain files; make sure before deleting.
	for old in "$ROOTS/.$suite".tmp.* "$ROOTS/.$suite".old.*; do
		[ -e "$old" ] || continue
		if findmnt -rn -o TARGET | grep -qF -e "$old"; then die "$suite: $old still has mounts; not removing it"; fi
		rm -rf "$old"
	done
	tmp=$(mktemp -d "$ROOTS/.$suite.tmp.XXXXXX")
	# mktemp's 0700 would become the root's / and lock apt's _apt user out.
	chmod 0755 "$tmp"
	log "$suite: building in $tmp (log: $ROOTS/$suite.log)"
	start=$(date +%s)
	# Run apart and wait, rather than "if ! build", under which sh would
	# ignore set -e inside build.
	build "$suite" "$tmp" "$uri" >"$ROOTS/$suite.log" 2>&1 &
	if ! wait $!; then
		tail -n 30 "$ROOTS/$suite.log" >&2
		die "$suite: build failed; the whole log is $ROOTS/$suite.log"
	fi
	# The stamp goes in last, the rename after it: the final path only ever
	# holds a complete root, which is what the tests look for.
	echo "$want" >"$tmp/stsgo-recipe"
	if [ -e "$final" ]; then
		aside=$ROOTS/.$suite.old.$$
		mv "$final" "$aside"
		mv "$tmp" "$final"
		rm -rf "$aside"
	else
		mv "$tmp" "$final"
	fi
	log "$suite: built in $(($(date +%s) - start))s: $(cat "$final/stsgo-versions.json")"
}

[ "$(id -u)" = 0 ] || die "building roots needs root (debootstrap, chroot, mount)"
for c in debootstrap unshare chroot flock findmnt; do
	command -v "$c" >/dev/null || die "$c is needed: apt-get install debootstrap util-linux"
done
# debootstrap checks each suite's Release against Debian's keys; bookworm's
# keyring already holds trixie's, which also sign testing.
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || die "Debian's archive keys are needed: apt-get install debian-archive-keyring"
[ $# -gt 0 ] || set -- trixie forky
uri=$(mirror | head -n 1)
[ -n "$uri" ] || die "no Debian mirror found in /etc/apt/sources.list{,.d}"
mkdir -p "$ROOTS"

# The builds wait on the network, not the CPU: run them side by side.
pids=
for suite in "$@"; do
	one "$suite" "$uri" &
	pids="$pids $!"
done
failed=0
for pid in $pids; do
	wait "$pid" || failed=1
done
exit $failed
