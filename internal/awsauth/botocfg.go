package awsauth

import (
	"bufio"
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"ansible-sts/internal/boundedfile"
)

// botoConfig is the legacy boto config file that Ansible 2.x and botocore's
// credential chain read for keys: $BOTO_CONFIG alone when set, else
// /etc/boto.cfg then ~/.boto, a later file overriding an earlier one.
type botoConfig struct {
	sections map[string]map[string]string
	file     map[string]string // section → the file it was last read from
}

// botoConfigPaths returns the files to read, in order.
func botoConfigPaths(sys System) []string {
	if p := sys.getenv(botoConfigEnv); p != "" {
		return []string{p}
	}
	paths := []string{"/etc/boto.cfg"}
	if home := sys.getenv("HOME"); home != "" {
		paths = append(paths, filepath.Join(home, ".boto"))
	}
	return paths
}

// loadBotoConfig reads the boto config files that exist; missing or
// unreadable files are skipped, as boto skips them. A file that is not a
// regular file, or is larger than boundedfile.ConfigLimit, fails: boto
// would block on a named pipe or read a device without end.
func loadBotoConfig(sys System) (*botoConfig, error) {
	b := &botoConfig{sections: map[string]map[string]string{}, file: map[string]string{}}
	for _, p := range botoConfigPaths(sys) {
		data, err := boundedfile.Read(p, boundedfile.ConfigLimit)
		if boundedfile.Refused(err) {
			return nil, fmt.Errorf("cannot read the boto config file %s: %v", p, err)
		}
		if err != nil {
			continue
		}
		b.parse(p, data)
	}
	return b, nil
}

// parse reads INI text as Python's ConfigParser does for these files:
// "key = value" or "key: value", keys lower-cased, # and ; comments.
func (b *botoConfig) parse(path string, data []byte) {
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[' && strings.HasSuffix(line, "]"):
			section = strings.TrimSpace(line[1 : len(line)-1])
			if b.sections[section] == nil {
				b.sections[section] = map[string]string{}
			}
			continue
		}
		if section == "" {
			continue
		}
		i := strings.IndexAny(line, "=:")
		if i < 0 {
			continue
		}
		key := strings.ToLower(strings.TrimSpace(line[:i]))
		b.sections[section][key] = strings.TrimSpace(line[i+1:])
		b.file[section] = path
	}
}

// keys returns the key pair (and the token Ansible 2.x read beside it)
// from [Credentials], else from [default]; ok is false without a pair.
func (b *botoConfig) keys() (id, secret, token Value, ok bool) {
	id, _ = b.get("aws_access_key_id")
	secret, _ = b.get("aws_secret_access_key")
	token, _ = b.get("aws_security_token")
	return id, secret, token, id.Value != "" && secret.Value != ""
}

// get returns key from [Credentials], else from [default].
func (b *botoConfig) get(key string) (Value, bool) {
	for _, section := range []string{"Credentials", "default"} {
		if v := b.sections[section][key]; v != "" {
			return Value{v, "boto config " + b.file[section] + " [" + section + "]"}, true
		}
	}
	return Value{}, false
}
