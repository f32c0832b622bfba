package awsauth

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"strings"
	"syscall"

	"ansible-sts/internal/boundedfile"
)

// profileConfig is one profile's keys as botocore reads them for its
// configuration variables (the endpoint settings among them): the
// profile's section of the shared config file, with the section of the
// same name in the shared credentials file merged over it, and the
// config file's services sections. The SDK's LoadSharedConfigProfile is
// not used for them: it has no sts_regional_endpoints, and it also checks
// the profile's credential settings (role_arn, SSO, source_profile),
// failing where botocore does not look when the keys are explicit.
type profileConfig struct {
	name     string            // "[default]" or "[profile NAME]", for sources
	keys     map[string]string // key (lower case) → value
	services map[string]map[string]string
}

// value returns the profile's key and whether it is set.
func (p profileConfig) value(key string) (string, bool) {
	v, ok := p.keys[key]
	return v, ok
}

// service returns key of service in the profile's services section, and
// fails as botocore does when the profile names a services section the
// config file does not have (or has empty).
func (p profileConfig) service(service, key string) (string, error) {
	name, ok := p.keys["services"]
	if !ok {
		return "", nil
	}
	section := p.services[name]
	if len(section) == 0 {
		//lint:ignore ST1005 the text users of the Python modules know, verbatim
		return "", fmt.Errorf("Couldn't connect to AWS: The profile is configured to use the services section but the %q services configuration does not exist.", name)
	}
	return nested(section[service])[key], nil
}

// readProfileConfig reads profile (default when empty) from the shared
// config and credentials files, each a regular file of bounded size; a
// missing file is an empty one, as for botocore. A profile that neither
// file has is empty: the SDK's loader reports one that was asked for.
func readProfileConfig(profile string, sys System) (profileConfig, error) {
	if profile == "" {
		profile = "default"
	}
	p := profileConfig{name: profileName(profile), keys: map[string]string{}, services: map[string]map[string]string{}}
	if profile == "default" {
		p.name = profileName("")
	}
	for i, f := range sharedFiles(sys) {
		data, err := boundedfile.Read(f.path, boundedfile.ConfigLimit)
		// botocore takes a file it cannot open, or a directory, for none.
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EISDIR) {
			continue
		}
		if err != nil {
			return p, fmt.Errorf("cannot read the %s %s (from %s): %v", f.what, f.path, f.source, err)
		}
		for _, s := range parseINI(data) {
			if i == 1 { // the credentials file names its profiles plainly
				if s.name == profile {
					maps.Copy(p.keys, s.keys)
				}
				continue
			}
			// The config file's sections, in build_profile_map's order.
			_, name := sectionName(s.name)
			switch {
			case strings.HasPrefix(s.name, "profile"):
				if name == profile {
					maps.Copy(p.keys, s.keys)
				}
			case strings.HasPrefix(s.name, "sso-session"):
			case strings.HasPrefix(s.name, "services"):
				if name != "" {
					p.services[name] = s.keys
				}
			case s.name == "default" && profile == "default":
				maps.Copy(p.keys, s.keys)
			}
		}
	}
	return p, nil
}

// iniSection is one section of an INI file: its name as written between
// the brackets, and its keys (lower case, as Python's configparser reads
// them) with their values.
type iniSection struct {
	name string
	keys map[string]string
}

// parseINI reads an INI file as botocore's configparser does, for what
// the modules read: "[name]" headers, "key = value" or "key: value" lines,
// whole-line comments ("#", ";"), and lines indented further than their
// key continuing its value (a nested block such as a services section's
// "sts =" with "endpoint_url = ..." beneath). A line botocore would refuse
// to parse is skipped, as the SDK's parser does; a repeated section or key
// adds to or replaces the earlier one.
func parseINI(data []byte) []iniSection {
	var (
		out    []iniSection
		cur    *iniSection
		key    string // the key whose value may continue
		indent int    // that key's indentation
	)
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		text := strings.TrimSpace(line)
		if text == "" || text[0] == '#' || text[0] == ';' {
			continue
		}
		depth := len(line) - len(strings.TrimLeft(line, " \t"))
		if cur != nil && key != "" && depth > indent {
			cur.keys[key] += "\n" + text
			continue
		}
		key = ""
		if text[0] == '[' {
			end := strings.LastIndexByte(text, ']')
			if end < 2 {
				cur = nil
				continue
			}
			out = append(out, iniSection{name: text[1:end], keys: map[string]string{}})
			cur = &out[len(out)-1]
			continue
		}
		i := strings.IndexAny(text, "=:")
		if cur == nil || i < 0 {
			continue
		}
		key, indent = strings.ToLower(strings.TrimSpace(text[:i])), depth
		cur.keys[key] = strings.TrimSpace(text[i+1:])
	}
	return out
}

// sectionName splits a section header as botocore does (shlex.split):
// "profile dev" is ("profile", "dev"), `profile "my dev"` is ("profile",
// "my dev"); anything but two words is ("", "").
func sectionName(header string) (kind, name string) {
	var words []string
	var word strings.Builder
	var quote rune
	inWord := false
	for _, r := range header {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words, inWord = append(words, word.String()), false
				word.Reset()
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	if quote != 0 || len(words) != 2 {
		return "", ""
	}
	return words[0], words[1]
}

// nested reads a nested block's "key = value" lines (botocore's
// _parse_nested: the keys keep their case); a value that is not a block
// has none.
func nested(value string) map[string]string {
	out := map[string]string{}
	if !strings.HasPrefix(value, "\n") {
		return out
	}
	for _, line := range strings.Split(value, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			out[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return out
}
