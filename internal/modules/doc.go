// Package modules defines the two STS modules, their own options, the STS
// request each makes, the result it returns and its documentation, and
// runs one from its arguments to its JSON result: everything both share
// (validation, check mode, credential resolution, the client, failures,
// output) happens here, once. The binaries in cmd/ are a Module value and
// a call to Run or RunMulti; tools/gendocs writes their ansible-doc files.
package modules

// All are the modules, in the order they are documented.
var All = []Module{AssumeRole, SessionToken}
