// Package modules defines the two STS modules: their own options, the STS
// request they make, the result they return and their documentation. The
// binaries in cmd/ run them; tools/gendocs writes their ansible-doc files.
package modules

// All are the modules, in the order they are documented.
var All = []Module{AssumeRole, SessionToken}
