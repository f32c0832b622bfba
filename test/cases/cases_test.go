package cases

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	tests := map[string]struct {
		text    string
		want    Case
		wantErr string
	}{
		"options": {
			text: "module: sts_assume_role\ncheck: true\nserver: throttle\nreference: same\n\nProse.\n-- args.json --\n{\"role_arn\": \"$URL\"}\n-- env --\nA=1\nB=x=y\n-- credentials --\n[default]\n",
			want: Case{Module: "sts_assume_role", Check: true, Server: "throttle", Reference: "same", Args: []byte("{\"role_arn\": \"$URL\"}\n"),
				Env: []string{"A=1", "B=x=y"}, Files: map[string]string{"credentials": "[default]\n"}},
		},
		"raw, quoted, differs": {
			text: "module: sts_session_token\nargs: raw\n\n-- args.quoted --\n\"\\xff{\\x00\"\n",
			want: Case{Module: "sts_session_token", Raw: true, Args: []byte("\xff{\x00"), Files: map[string]string{}},
		},
		"differs": {
			text: "module: sts_session_token\nreference: differs: ours says why\n-- args.json --\n{}\n",
			want: Case{Module: "sts_session_token", Reference: "ours says why", Args: []byte("{}\n"), Files: map[string]string{}},
		},
		"per environment": {
			text: "module: sts_assume_role\nreference: same\nreference forky: differs: botocore 1.40 says why\nreference trixie: same\n-- args.json --\n{}\n",
			want: Case{Module: "sts_assume_role", Reference: "same", ReferenceOn: map[string]string{"forky": "botocore 1.40 says why", "trixie": "same"},
				Args: []byte("{}\n"), Files: map[string]string{}},
		},
		"environment only":   {text: "module: sts_assume_role\nreference forky: same\n-- args.json --\n{}\n", wantErr: "needs a reference line for all"},
		"bad environment":    {text: "module: sts_assume_role\nreference: same\nreference forky: maybe\n-- args.json --\n{}\n", wantErr: `reference forky: "maybe" is neither`},
		"no module":          {text: "-- args.json --\n{}\n", wantErr: `module: "" is not`},
		"unknown key":        {text: "module: sts_assume_role\nrole: x\n-- args.json --\n{}\n", wantErr: `unknown header key "role"`},
		"unknown scenario":   {text: "module: sts_assume_role\nserver: slow\n-- args.json --\n{}\n", wantErr: `unknown scenario "slow"`},
		"bad reference":      {text: "module: sts_assume_role\nreference: maybe\n-- args.json --\n{}\n", wantErr: "neither same nor differs"},
		"differs, no reason": {text: "module: sts_assume_role\nreference: differs: \n-- args.json --\n{}\n", wantErr: "neither same nor differs"},
		"raw and reference":  {text: "module: sts_assume_role\nargs: raw\nreference: same\n-- args.json --\n{}\n", wantErr: "not run through the Python module"},
		"no args":            {text: "module: sts_assume_role\n-- env --\nA=1\n", wantErr: "no args.json"},
		"two args":           {text: "module: sts_assume_role\n-- args.json --\n{}\n-- args.quoted --\n\"{}\"\n", wantErr: "give one"},
		"bad quoted":         {text: "module: sts_assume_role\n-- args.quoted --\n{}\n", wantErr: "args.quoted"},
		"bad env":            {text: "module: sts_assume_role\n-- args.json --\n{}\n-- env --\nA\n", wantErr: `"A" is not KEY=VALUE`},
		"unknown section":    {text: "module: sts_assume_role\n-- args.json --\n{}\n-- files --\n", wantErr: `unknown section "files"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.txtar")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			c, err := Read(path)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := *c
			got.Name, got.Path, got.archive = "", "", nil
			if !equal(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func equal(a, b Case) bool {
	if a.Module != b.Module || a.Check != b.Check || a.Server != b.Server || a.Raw != b.Raw || a.Reference != b.Reference || !maps.Equal(a.ReferenceOn, b.ReferenceOn) ||
		string(a.Args) != string(b.Args) || strings.Join(a.Env, "\n") != strings.Join(b.Env, "\n") || len(a.Files) != len(b.Files) {
		return false
	}
	for k, v := range a.Files {
		if b.Files[k] != v {
			return false
		}
	}
	return true
}

func TestSetWant(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.txtar")
	text := "module: sts_assume_role\n\nProse.\n-- args.json --\n{}\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"{\"a\": 1}\n", "{\"b\": 2}\n"} {
		if err := c.SetWant([]byte(want)); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(path)
		if got := string(data); got != text+"-- want.json --\n"+want {
			t.Errorf("file after SetWant:\n%s", got)
		}
		again, err := Read(path)
		if err != nil || string(again.Want) != want {
			t.Errorf("read back: %q, %v", again.Want, err)
		}
	}
}

// TestCorpus checks the case files themselves: each has its expected
// result, every scenario is used, and the bad arguments files are many.
func TestCorpus(t *testing.T) {
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	all, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	firsts := map[string]string{}
	var raw, reference int
	for _, c := range all {
		if c.Want == nil {
			t.Errorf("%s has no want.json", c.Name)
		}
		// Each case says first, in a sentence of its own, what it checks
		// and why it matters.
		first := firstSentence(c.About)
		if len(first) < 40 || !strings.HasSuffix(first, ".") {
			t.Errorf("%s does not open with a sentence on what it checks and why: %q", c.Name, c.About)
		} else if other, ok := firsts[first]; ok {
			t.Errorf("%s opens with the sentence %s opens with: %q", c.Name, other, first)
		}
		firsts[first] = c.Name
		used[c.Server] = true
		if c.Raw {
			raw++
		}
		if c.Reference != "" {
			reference++
		}
	}
	for name := range Scenarios {
		if !used[name] {
			t.Errorf("no case uses the scenario %q", name)
		}
	}
	if raw < 60 || reference < 100 {
		t.Errorf("%d bad arguments files and %d cases run through the reference; want at least 60 and 100", raw, reference)
	}
}

func TestReferenceFor(t *testing.T) {
	c := Case{Reference: "same", ReferenceOn: map[string]string{"forky": "why"}}
	if c.ReferenceFor("bookworm") != "same" || c.DiffersOn("trixie") || c.ReferenceFor("forky") != "why" || !c.DiffersOn("forky") {
		t.Errorf("ReferenceFor and DiffersOn ignore the lines per environment: %+v", c)
	}
	if (&Case{}).DiffersOn("forky") {
		t.Error("a case without a reference line differs")
	}
}

// firstSentence returns the prose up to the first full stop that ends a
// sentence: one followed by a space and a capital letter, or the end.
func firstSentence(prose string) string {
	for i := 0; i < len(prose); i++ {
		if prose[i] != '.' {
			continue
		}
		if i+1 == len(prose) {
			return prose
		}
		if i+2 < len(prose) && prose[i+1] == ' ' && 'A' <= prose[i+2] && prose[i+2] <= 'Z' {
			return prose[:i+1]
		}
	}
	return prose
}
