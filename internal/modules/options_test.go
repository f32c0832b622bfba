package modules

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/stscall"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp"
)

// TestFill checks that every request parameter of the tables names a field
// of the SDK's input of its operation, of the option's type, and that Fill
// sets each from its option, the others left unset.
func TestFill(t *testing.T) {
	inputs := map[string]any{
		AssumeRole.Name:   &sts.AssumeRoleInput{},
		SessionToken.Name: &sts.GetSessionTokenInput{},
	}
	for _, m := range All {
		t.Run(m.Name, func(t *testing.T) {
			in, ok := inputs[m.Name]
			if !ok {
				t.Fatalf("no SDK input for %s", m.Name)
			}
			given := map[string]any{}
			for _, p := range m.Params {
				switch p.Kind {
				case stscall.Integer:
					given[p.Option] = 900
				case stscall.StringList:
					given[p.Option] = []string{"value-of-" + p.Option}
				case stscall.TagList:
					given[p.Option] = map[string]string{"key-of-" + p.Option: "value-of-" + p.Option}
				default:
					given[p.Option] = "value-of-" + p.Option
				}
			}
			data, _ := json.Marshal(given)
			args, err := moduleargs.Parse(data, m.Spec(), m.Name, func(string) (string, bool) { return "", false })
			if err != nil {
				t.Fatal(err)
			}
			stscall.Fill(in, args, m.Params)
			v := reflect.ValueOf(in).Elem()
			var set []string
			for i := range v.NumField() {
				if f := v.Field(i); (f.Kind() == reflect.Pointer || f.Kind() == reflect.Slice) && !f.IsNil() {
					set = append(set, v.Type().Field(i).Name)
				}
			}
			var want []string
			for _, p := range m.Params {
				want = append(want, p.Name)
				switch f := v.FieldByName(p.Name).Interface().(type) {
				case *int32:
					if p.Kind != stscall.Integer || *f != 900 {
						t.Errorf("%s = %d, from option %s", p.Name, *f, p.Option)
					}
				case *string:
					if p.Kind != stscall.String || *f != "value-of-"+p.Option {
						t.Errorf("%s = %q, from option %s", p.Name, *f, p.Option)
					}
				case []string:
					if p.Kind != stscall.StringList || p.Field != "" || !slices.Equal(f, []string{"value-of-" + p.Option}) {
						t.Errorf("%s = %q, from option %s", p.Name, f, p.Option)
					}
				case []types.PolicyDescriptorType:
					if p.Kind != stscall.StringList || p.Field != "arn" || len(f) != 1 || *f[0].Arn != "value-of-"+p.Option {
						t.Errorf("%s = %+v, from option %s", p.Name, f, p.Option)
					}
				case []types.Tag:
					if p.Kind != stscall.TagList || len(f) != 1 || *f[0].Key != "key-of-"+p.Option || *f[0].Value != "value-of-"+p.Option {
						t.Errorf("%s = %+v, from option %s", p.Name, f, p.Option)
					}
				default:
					t.Errorf("%s is a %T", p.Name, f)
				}
			}
			slices.Sort(want)
			slices.Sort(set)
			if diff := cmp.Diff(want, set); diff != "" {
				t.Errorf("fields set (-params +set):\n%s", diff)
			}
		})
	}
}

// TestParams checks the request parameters derived from the tables: every
// option is sent, in the Python module's order.
func TestParams(t *testing.T) {
	names := func(ps []stscall.Param) []string {
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
	}
}

// TestExtensions checks what the tests take as ours alone.
func TestExtensions(t *testing.T) {
	options, results := Extensions()
	if diff := cmp.Diff([]string{"policy_arns", "tags", "transitive_tag_keys", "source_identity"}, options); diff != "" {
		t.Errorf("extension options (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"aws_env", "packed_policy_size", "source_identity"}, results); diff != "" {
		t.Errorf("extension results (-want +got):\n%s", diff)
	}
}
