package awsauth

import (
	"testing"
	"time"
)

// TestSeconds: a timeout is a number of seconds from a millisecond to an
// hour; below a millisecond it would round to zero, which the HTTP stack
// reads as no timeout at all.
func TestSeconds(t *testing.T) {
	tests := map[string]struct {
		in   any
		want time.Duration
		err  string
	}{
		"int":            {in: int64(5), want: 5 * time.Second},
		"float":          {in: 0.25, want: 250 * time.Millisecond},
		"a millisecond":  {in: 0.001, want: time.Millisecond},
		"an hour":        {in: int64(3600), want: time.Hour},
		"far below a ms": {in: 1e-300, err: "aws_config: the connect timeout must be a number of seconds from 0.001 to 3600, not 1e-300"},
		"below a ms":     {in: 0.0009, err: "aws_config: the connect timeout must be a number of seconds from 0.001 to 3600, not 0.0009"},
		"zero":           {in: int64(0), err: "aws_config: the connect timeout must be a number of seconds from 0.001 to 3600, not 0"},
		"over an hour":   {in: 3600.5, err: "aws_config: the connect timeout must be a number of seconds from 0.001 to 3600, not 3600.5"},
		"negative":       {in: int64(-1), err: "aws_config: the connect timeout must be a number of seconds from 0.001 to 3600, not -1"},
		"not a number":   {in: "5", err: "Couldn't connect to AWS: Timeout value connect was 5, but it must be an int, float or None."},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := seconds("connect", tc.in)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != tc.err || got != tc.want && tc.err == "" {
				t.Errorf("seconds(%v) = %v, %q; want %v, %q", tc.in, got, gotErr, tc.want, tc.err)
			}
		})
	}
}
