package boundedfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "regular")
	if err := os.WriteFile(regular, []byte("0123456789"), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(regular, link); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		path  string
		limit int64
		want  string // the error, or "" for the contents of regular
	}{
		"regular file":          {path: regular, limit: 10},
		"symbolic link to one":  {path: link, limit: 10},
		"one byte over":         {path: regular, limit: 9, want: "read " + regular + ": larger than 9 bytes"},
		"named pipe":            {path: fifo, limit: ConfigLimit, want: "read " + fifo + ": is a named pipe, not a regular file"},
		"/dev/zero":             {path: "/dev/zero", limit: ConfigLimit, want: "read /dev/zero: is a character device, not a regular file"},
		"/dev/urandom":          {path: "/dev/urandom", limit: ArgsLimit, want: "read /dev/urandom: is a character device, not a regular file"},
		"directory":             {path: dir, limit: ConfigLimit, want: "read " + dir + ": is a directory"},
		"missing":               {path: filepath.Join(dir, "missing"), limit: ConfigLimit, want: "open " + filepath.Join(dir, "missing") + ": no such file or directory"},
		"a file as a directory": {path: filepath.Join(regular, "x"), limit: ConfigLimit, want: "open " + filepath.Join(regular, "x") + ": not a directory"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			data, err := Read(tc.path, tc.limit)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Read took %v", d)
			}
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Read: %v", err)
			case tc.want == "" && string(data) != "0123456789":
				t.Errorf("Read = %q", data)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Errorf("Read error %v, want %q", err, tc.want)
			}
			if err := Check(tc.path, tc.limit); (err == nil) != (tc.want == "") || err != nil && err.Error() != tc.want {
				t.Errorf("Check error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	dir := t.TempDir()
	// A sparse file of exactly the limit is read; one byte more is not.
	for _, tc := range []struct {
		size int64
		ok   bool
	}{{ArgsLimit, true}, {ArgsLimit + 1, false}} {
		path := filepath.Join(dir, "args")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(tc.size); err != nil {
			t.Fatal(err)
		}
		f.Close()
		data, err := Read(path, ArgsLimit)
		if tc.ok && (err != nil || int64(len(data)) != tc.size) {
			t.Errorf("size %d: %d bytes, error %v", tc.size, len(data), err)
		}
		if !tc.ok && (err == nil || !strings.HasSuffix(err.Error(), ": larger than 64 MiB")) {
			t.Errorf("size %d: error %v, want larger than 64 MiB", tc.size, err)
		}
	}
	if ConfigLimit != 8<<20 {
		t.Errorf("ConfigLimit is %d, docs/modules.md says 8 MiB", ConfigLimit)
	}
}

func TestRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		path  string
		limit int64
		want  bool
	}{
		"named pipe": {fifo, ConfigLimit, true},
		"device":     {"/dev/zero", ConfigLimit, true},
		"too large":  {small, 4, true},
		"missing":    {filepath.Join(dir, "missing"), ConfigLimit, false},
		"directory":  {dir, ConfigLimit, false},
	}
	for name, tc := range tests {
		err := Check(tc.path, tc.limit)
		if err == nil || Refused(err) != tc.want {
			t.Errorf("%s: Check error %v, Refused %v; want an error, Refused %v", name, err, Refused(err), tc.want)
		}
	}
}
