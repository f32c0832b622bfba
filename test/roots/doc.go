// Package roots gives tests more than one Ansible to run against: the
// host's own Debian stack, and one root filesystem per newer Debian suite
// (Suites), each holding that suite's ansible-core, amazon.aws,
// community.aws, boto3 and botocore straight from Debian.
//
// make roots builds the roots with build.sh into Dir (default
// /var/cache/stsgo-test-roots, or $STSGO_ROOTS), outside the work tree, and
// records in each the versions it holds. All, Get and Environments find
// them; like testenv.RequireTool, they fail a test in CI (CI=true), where
// make test has built them, and skip it elsewhere.
//
// Root.Command runs a command chrooted into a root, in a mount namespace of
// its own: /proc, /dev and /sys, a fresh /tmp, and the host directories a
// test names, bound at the same paths, so host paths work unchanged inside
// and every mount vanishes with the command. The roots share the host's
// loopback, so a fake served on 127.0.0.1 is reachable from inside; inside,
// localhost is 127.0.0.1 and ::1, and every other name is looked up on
// 127.0.0.1, where nothing answers.
package roots
