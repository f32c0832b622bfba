package awsauth

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/test/testenv"
)

// TestConnectionOptions checks that the options' table fills every field
// of Connection, each from its option with its source, and the URLs from
// every name of the endpoint option given.
func TestConnectionOptions(t *testing.T) {
	testenv.Isolate(t)
	given := map[string]any{}
	for _, o := range connectionOptions {
		switch o.Type.String() {
		case "bool":
			given[o.Name] = o.Default != true
		case "dict":
			given[o.Name] = map[string]any{"connect_timeout": 5}
		default:
			given[o.Name] = "value-of-" + o.Name
		}
	}
	given["endpoint_url"] = "https://u:pw@sts.example.com"
	data, _ := json.Marshal(given)
	c := connection(t, string(data))

	v := reflect.ValueOf(c)
	for i := range v.NumField() {
		// AnsibleVersion is no option; ValidateCerts is given false.
		if name := v.Type().Field(i).Name; v.Field(i).IsZero() && name != "AnsibleVersion" && name != "ValidateCerts" {
			t.Errorf("Connection.%s is not filled", v.Type().Field(i).Name)
		}
	}
	if want := (Value{"value-of-aws_access_key", "option aws_access_key"}); c.AccessKey != want {
		t.Errorf("AccessKey = %+v, want %+v", c.AccessKey, want)
	}
	if c.ValidateCerts || !c.DebugLogs {
		t.Errorf("ValidateCerts, DebugLogs = %v, %v, want false, true", c.ValidateCerts, c.DebugLogs)
	}
	if d := connection(t, "{}"); !d.ValidateCerts || d.DebugLogs {
		t.Errorf("defaults: ValidateCerts, DebugLogs = %v, %v, want true, false", d.ValidateCerts, d.DebugLogs)
	}
	// ec2_url holds the value of the alias that won.
	if diff := cmp.Diff([]string{"https://u:pw@sts.example.com", "https://u:pw@sts.example.com"}, c.URLs); diff != "" {
		t.Errorf("URLs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ec2_url", "endpoint_url", "aws_endpoint_url", "s3_url"}, URLOptions()); diff != "" {
		t.Errorf("URLOptions (-want +got):\n%s", diff)
	}
}
