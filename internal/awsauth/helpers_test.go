package awsauth

import (
	"os"
	"strings"
)

func lookupEnv(k string) (string, bool) { return os.LookupEnv(k) }

func trimComma(s string) string { return strings.TrimSuffix(strings.TrimSpace(s), ",") }

func replace(s, old, new string) string { return strings.ReplaceAll(s, old, new) }
