package result

import (
	"bytes"
	"fmt"
	"io"
	"time"
)

// Result is one module result: the keys of the JSON object.
type Result map[string]any

// Failure returns a failed result with msg.
func Failure(msg string) Result {
	return Result{"failed": true, "msg": msg}
}

// Skipped is AnsibleModule's answer, after validation, in check mode for a
// module that does not support it.
func Skipped(moduleName string) Result {
	return Result{"skipped": true, "msg": fmt.Sprintf("remote module (%s) does not support check mode", moduleName)}
}

// Failed reports whether r is a failure.
func (r Result) Failed() bool {
	f, _ := r["failed"].(bool)
	return f
}

// Run is what a module's run adds to its result besides the module's own
// keys: what its arguments asked for, and the secrets it used. Write
// takes nil for a run whose arguments could not be read.
type Run struct {
	// Invocation is the invocation key, {"module_args": params}, added
	// when the result has none. Nil when the controller asks for no
	// invocation: the result's own is then dropped too.
	Invocation map[string]any
	// Warnings are added as the warnings key, when there are any.
	Warnings []string
	// Secrets are what the result is masked of, everywhere: the no_log
	// values and every other secret the run used.
	Secrets []string
	// Returned are secrets the result returns in clear, as values a later
	// task needs (new credentials), which only a controller that masks
	// secrets is told of (see ControllerMasks).
	Returned []string
	// ControllerMasks says the controller masks secrets itself
	// (ansible-core 2.22 and later): the result is masked as it shows a
	// secret, and lists the secrets for it (controller.go).
	ControllerMasks bool
}

// Write prints r as one JSON object followed by a newline and returns the
// exit status. run may be nil when the arguments file could not be read;
// otherwise its invocation, warnings and secrets apply.
//
// Whatever the controller, the result is masked of every secret the run
// used: a controller that masks secrets still keeps the result as it is
// written, in registered variables, and masks only what it displays. The
// list handed to such a controller is added after masking, for it holds
// the secrets themselves; the controller takes it out of the result before
// anything else sees it.
func Write(w io.Writer, r Result, run *Run) int {
	out := make(map[string]any, len(r)+3)
	for k, v := range r {
		out[k] = v
	}
	var secrets []string
	style := RemoveValues
	if run != nil {
		if run.Invocation == nil {
			delete(out, "invocation")
		} else if _, ok := out["invocation"]; !ok {
			out["invocation"] = run.Invocation
		}
		if len(run.Warnings) > 0 {
			out["warnings"] = run.Warnings
		}
		secrets = run.Secrets
		style = run.masking()
	}
	for k, v := range out {
		switch v.(type) {
		case nil, bool: // AnsibleModule keeps these as they are
		default:
			out[k] = MaskAs(v, secrets, style)
		}
	}
	if run != nil {
		if s := run.newSecrets(); len(s) > 0 {
			out[NewSecretsKey] = s
		}
	}
	var b bytes.Buffer
	encode(&b, out)
	b.WriteByte('\n')
	if _, err := w.Write(b.Bytes()); err != nil {
		return 1
	}
	if r.Failed() {
		return 1
	}
	return 0
}

// Expiration formats t as Python's isoformat() of a UTC datetime, which is
// how the Python modules return sts_creds.expiration:
// 2016-04-08T11:59:47+00:00, or with six fractional digits when the
// time has a fraction of a second.
func Expiration(t time.Time) string {
	t = t.UTC()
	if us := t.Nanosecond() / 1000; us != 0 {
		return t.Format("2006-01-02T15:04:05") + fmt.Sprintf(".%06d+00:00", us)
	}
	return t.Format("2006-01-02T15:04:05") + "+00:00"
}
