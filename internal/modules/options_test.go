package modules

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/stsio"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp"
)

// TestInput checks each module's request against its check table: built
// from a value for every option, its SDK input sets exactly the fields
// the table names, each of the table's kind and from the table's option,
// the others left unset.
func TestInput(t *testing.T) {
	inputs := map[string]func(*moduleargs.Args) any{
		AssumeRole.Name:   func(a *moduleargs.Args) any { return assumeRoleInput(a) },
		SessionToken.Name: func(a *moduleargs.Args) any { return sessionTokenInput(a) },
	}
	for _, m := range All {
		t.Run(m.Name, func(t *testing.T) {
			input, ok := inputs[m.Name]
			if !ok {
				t.Fatalf("no SDK input for %s", m.Name)
			}
			given := map[string]any{}
			for _, o := range m.Options {
				switch o.Type {
				case moduleargs.Int:
					given[o.Name] = 900
				case moduleargs.List:
					given[o.Name] = []string{"value-of-" + o.Name}
				case moduleargs.Dict:
					given[o.Name] = map[string]string{"key-of-" + o.Name: "value-of-" + o.Name}
				default:
					given[o.Name] = "value-of-" + o.Name
				}
			}
			data, _ := json.Marshal(given)
			args, err := moduleargs.Parse(data, m.Spec(), m.Name, func(string) (string, bool) { return "", false })
			if err != nil {
				t.Fatal(err)
			}
			v := reflect.ValueOf(input(args)).Elem()
			var set []string
			for i := range v.NumField() {
				if f := v.Field(i); (f.Kind() == reflect.Pointer || f.Kind() == reflect.Slice) && !f.IsNil() {
					set = append(set, v.Type().Field(i).Name)
				}
			}
			var want []string
			for _, p := range m.Params {
				want = append(want, p.Name)
				field := v.FieldByName(p.Name)
				if !field.IsValid() {
					t.Errorf("%s names no field of %s", p.Name, v.Type())
					continue
				}
				switch f := field.Interface().(type) {
				case *int32:
					if p.Kind != stsio.Integer || f == nil || *f != 900 {
						t.Errorf("%s = %d (set: %t), from option %s", p.Name, aws.ToInt32(f), f != nil, p.Option)
					}
				case *string:
					if p.Kind != stsio.String || f == nil || *f != "value-of-"+p.Option {
						t.Errorf("%s = %q (set: %t), from option %s", p.Name, aws.ToString(f), f != nil, p.Option)
					}
				case []string:
					if p.Kind != stsio.StringList || p.Field != "" || !slices.Equal(f, []string{"value-of-" + p.Option}) {
						t.Errorf("%s = %q, from option %s", p.Name, f, p.Option)
					}
				case []types.PolicyDescriptorType:
					if p.Kind != stsio.StringList || p.Field != "arn" || len(f) != 1 || *f[0].Arn != "value-of-"+p.Option {
						t.Errorf("%s = %+v, from option %s", p.Name, f, p.Option)
					}
				case []types.Tag:
					if p.Kind != stsio.TagList || len(f) != 1 || *f[0].Key != "key-of-"+p.Option || *f[0].Value != "value-of-"+p.Option {
						t.Errorf("%s = %+v, from option %s", p.Name, f, p.Option)
					}
				default:
					t.Errorf("%s is a %T", p.Name, f)
				}
			}
			slices.Sort(want)
			slices.Sort(set)
			if diff := cmp.Diff(want, set); diff != "" {
				t.Errorf("fields set (-checks +set):\n%s", diff)
			}
		})
	}
}

// TestParams checks the check tables: every option is sent, in the
// Python module's order, with its kind and whether it is required.
func TestParams(t *testing.T) {
	names := func(ps []stsio.Param) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return out
	}
	want := map[string][]string{
		AssumeRole.Name:   {"RoleArn", "RoleSessionName", "Policy", "DurationSeconds", "ExternalId", "SerialNumber", "TokenCode", "PolicyArns", "Tags", "TransitiveTagKeys", "SourceIdentity"},
		SessionToken.Name: {"DurationSeconds", "SerialNumber", "TokenCode"},
	}
	for _, m := range All {
		if diff := cmp.Diff(want[m.Name], names(m.Params)); diff != "" {
			t.Errorf("%s request order (-want +got):\n%s", m.Name, diff)
		}
		if len(m.Params) != len(m.Options) {
			t.Errorf("%s: %d options, %d request parameters", m.Name, len(m.Options), len(m.Params))
		}
		// Each option is checked once, with its kind and whether it is
		// required.
		kinds := map[moduleargs.Type]stsio.Kind{
			moduleargs.Str:  stsio.String,
			moduleargs.Int:  stsio.Integer,
			moduleargs.List: stsio.StringList,
			moduleargs.Dict: stsio.TagList,
		}
		for _, o := range m.Options {
			var found []stsio.Param
			for _, p := range m.Params {
				if p.Option == o.Name {
					found = append(found, p)
				}
			}
			if len(found) != 1 {
				t.Errorf("%s: option %s has %d checks", m.Name, o.Name, len(found))
				continue
			}
			if p := found[0]; p.Kind != kinds[o.Type] || p.Required != o.Required {
				t.Errorf("%s: %s is checked as kind %d, required %t; the option is a %v, required %t", m.Name, p.Name, p.Kind, p.Required, o.Type, o.Required)
			}
		}
	}
}

// TestBeyond checks what the descriptions name as ours alone: the
// options and results marked Extension.
func TestBeyond(t *testing.T) {
	for m, want := range map[string]string{
		AssumeRole.Name: "Beyond the Python module: the session options policy_arns, tags, transitive_tag_keys and source_identity, " +
			"and the results aws_env, packed_policy_size and source_identity.",
		SessionToken.Name: "Beyond the Python module: the result aws_env.",
	} {
		for _, mod := range All {
			if d := mod.Doc.Description; mod.Name == m && d[len(d)-1] != want {
				t.Errorf("%s's description ends %q, want %q", m, d[len(d)-1], want)
			}
		}
	}
}
