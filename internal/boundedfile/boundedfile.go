// Package boundedfile reads the files that the modules and local-sts are
// pointed at by an argument, an environment variable or a setting. Such a
// path may name anything: a named pipe, which would block a plain open
// until a writer comes, or a device such as /dev/zero, which a plain read
// would consume until memory runs out. Read and Check open without
// blocking, accept regular files only, and refuse a file above a size
// limit before reading it, so each of those fails at once with an error
// that names the path and the cause.
package boundedfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// The limits. An arguments file carries every value of the task inline
// (values of 10 MB occur), so it gets far more room than a configuration,
// credentials, CA bundle or token file, which are a few KiB to a few
// hundred KiB.
const (
	ArgsLimit   = 64 << 20
	ConfigLimit = 8 << 20
)

// Read returns the contents of the regular file at path, which must hold
// at most limit bytes. Errors are *fs.PathError values naming path.
func Read(path string, limit int64) ([]byte, error) {
	f, err := open(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The size was checked, but the file may grow while it is read.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &fs.PathError{Op: "read", Path: path, Err: tooLarge(limit)}
	}
	return data, nil
}

// Check opens the file at path as Read does and closes it: it is for a
// file that a library reads by name. A missing file gives an error for
// which errors.Is(err, fs.ErrNotExist) holds.
func Check(path string, limit int64) error {
	f, err := open(path, limit)
	if err != nil {
		return err
	}
	return f.Close()
}

// open opens path without blocking (O_NONBLOCK: a named pipe opens at once
// even with no writer) and checks what it is before anything reads it.
func open(path string, limit int64) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	var cause error
	switch mode := info.Mode(); {
	case mode.IsDir():
		cause = syscall.EISDIR // "is a directory", as a plain read says
	case !mode.IsRegular():
		cause = &NotRegularError{Kind: kind(mode)}
	case info.Size() > limit:
		cause = tooLarge(limit)
	}
	if cause != nil {
		f.Close()
		return nil, &fs.PathError{Op: "read", Path: path, Err: cause}
	}
	return f, nil
}

// NotRegularError says that a path names something other than a regular
// file; Kind says what.
type NotRegularError struct{ Kind string }

func (e *NotRegularError) Error() string {
	return "is " + e.Kind + ", not a regular file"
}

func kind(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a block device"
	}
	return "an irregular file"
}

// tooLargeError says that a file holds more than its limit.
type tooLargeError struct{ limit int64 }

func (e tooLargeError) Error() string {
	if e.limit%(1<<20) == 0 {
		return fmt.Sprintf("larger than %d MiB", e.limit>>20)
	}
	return fmt.Sprintf("larger than %d bytes", e.limit)
}

func tooLarge(limit int64) error { return tooLargeError{limit} }

// Refused reports whether err is Read's or Check's refusal of a file that
// is there: not a regular file (a directory aside, which a plain read
// refuses too) or over its limit. Callers that tolerate a file they
// cannot open still stop on these.
func Refused(err error) bool {
	var notRegular *NotRegularError
	var large tooLargeError
	return errors.As(err, &notRegular) || errors.As(err, &large)
}
