package modules

// Author is who the modules' docs, the collection's metadata and its
// files name as their author.
const Author = "stsgo.aws maintainers (@stsgo-aws)"

// Doc is a module's documentation beyond its options (whose names,
// aliases, types, defaults and descriptions come from the option table):
// what ansible-doc shows from DOCUMENTATION, EXAMPLES and RETURN.
type Doc struct {
	Short       string   // short_description
	Description []string // paragraphs
	Notes       []string
	SeeAlso     []Link
	Examples    string // YAML tasks
	Return      []ReturnValue
}

// Link is a seealso entry.
type Link struct{ Name, Description, URL string }

// ReturnValue documents one key of the result.
type ReturnValue struct {
	Name, Description, Returned, Type string
	Sample                            any
	Contains                          []ReturnValue
	// Extension marks a key the Python modules do not return.
	Extension bool
}
