"""A stand-in for antsibull-docs-parser, which Debian does not package: the
part of its API that ansible-test's validate-modules uses to check Ansible
markup in module documentation (parser.parse, parser.Context and dom)."""
