// Package stscall makes the one STS call of a module run and turns its
// outcome into a module result: botocore-style parameter checks before the
// call, a recorder that keeps what the endpoint answered (status, headers,
// error body, attempts), and failures in amazon.aws's fail_json_aws shape.
package stscall
