// Package pyvalue is a decoded JSON value as Python holds it, the one
// value model of a module's arguments and of its result.
//
// Contract:
//
//   - A value is what Python's json.loads makes of a JSON document, in Go:
//     nil, bool, string, int64 (json.Number for an integer beyond int64),
//     float64 (an infinity or NaN included), []any, or an [*Object], a dict
//     whose keys keep their insertion order.
//   - [Str], [Repr], [Type] and [TypeName] return Python's str(), repr(),
//     str(type()) and type name of such a value, character for character:
//     the text ansible-core's and botocore's messages quote, and the text
//     remove_values compares with a secret. A value of another Go type is
//     written as fmt.Sprint writes it.
//   - [Object] marshals to JSON with its keys in insertion order and
//     without HTML escaping, otherwise as encoding/json does (a number
//     that is not finite fails).
//   - The package imports nothing of the project's and nothing of AWS.
package pyvalue
