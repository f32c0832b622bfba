//go:build packaging

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/test/roots"
)

// The module_defaults that ansible-core gives the Python modules the
// collection's modules stand in for (amazon.aws.sts_assume_role,
// community.aws.sts_assume_role before amazon.aws 7,
// community.aws.sts_session_token) reach the collection's modules too:
// group/aws always, another group where it holds the replaced module. Each case is a
// play; the local endpoint records the region of each call, told apart by
// its role session name (AssumeRole) or its duration (GetSessionToken):
// 900 + 10×case, plus 1 for the Python module's, 2 for an async task's.

// defaultsCase is one play: its module_defaults and other play keywords,
// and whether the Python modules run beside ours, to compare.
type defaultsCase struct {
	keys  string // play keywords, YAML indented by two spaces
	ref   bool   // also run the Python modules
	tasks string // more tasks, YAML indented by four spaces
}

// defaultsCases are the plays by case number. With upstream false,
// amazon.aws and community.aws are not installed: no play may name their
// groups.
func defaultsCases(upstream bool) map[int]defaultsCase {
	precedence := `  module_defaults:
    group/stsgo.aws.aws: {region: eu-west-2}
    group/aws: {region: ap-south-1}
`
	if upstream {
		precedence += `    group/amazon.aws.aws: {region: eu-north-1}
    group/community.aws.aws: {region: sa-east-1}
`
	}
	cases := map[int]defaultsCase{
		// group/aws, templated with the play's variables; a value that
		// templates to omit is left out (a profile named after the omit
		// placeholder would fail the task). Async tasks take ansible-core's
		// binary module path.
		1: {keys: `  vars:
    aws_region: ap-south-1
  module_defaults:
    group/aws:
      region: "{{ aws_region }}"
      profile: "{{ omit }}"
`, ref: upstream, tasks: `    - stsgo.aws.sts_session_token:
        duration_seconds: 912
      async: 60
      poll: 1
`},
		// The collection's own group; its default duration is this case's
		// GetSessionToken duration (900 + 10×4), so the request shows it
		// came. An STS option there does not reach amazon.aws's modules.
		4: {keys: `  module_defaults:
    group/stsgo.aws.aws: {region: eu-west-2, duration_seconds: 940}
`},
		// Every group at once, ours listed first: ours wins over both AWS
		// collections' groups and group/aws, the task's argument over all.
		5: {keys: precedence, ref: upstream, tasks: `    - stsgo.aws.sts_assume_role:
        role_arn: arn:aws:iam::123456789012:role/deploy
        role_session_name: task-5
        region: ca-central-1
`},
		// The module's own default wins over group/aws; the endpoint comes
		// from group/aws, templated with a lookup: the environment's
		// endpoints lead nowhere.
		6: {keys: `  environment:
    AWS_URL: http://127.0.0.1:9
    AWS_ENDPOINT_URL_STS: http://127.0.0.1:9
  module_defaults:
    group/aws:
      region: ap-northeast-1
      endpoint_url: "{{ lookup('env', 'LOCAL_STS_URL') }}"
    stsgo.aws.sts_session_token: {region: me-south-1}
`},
	}
	if upstream {
		// amazon.aws's group, as one template.
		cases[2] = defaultsCase{keys: `  vars:
    amazon_defaults: {region: eu-north-1}
  module_defaults:
    group/amazon.aws.aws: "{{ amazon_defaults }}"
`, ref: true}
		cases[3] = defaultsCase{keys: `  module_defaults:
    group/community.aws.aws: {region: sa-east-1}
`, ref: true}
		c := cases[4]
		c.tasks = `    - amazon.aws.aws_caller_info:
`
		cases[4] = c
	}
	return cases
}

// defaultsPlaybook renders the cases, then a play that writes the
// requests the endpoint received to requests.json.
func defaultsPlaybook(cases map[int]defaultsCase) string {
	var b strings.Builder
	for n := 1; n <= 9; n++ {
		c, ok := cases[n]
		if !ok {
			continue
		}
		// A failed task leaves its call out of the requests, for the
		// test to name, and the rest run.
		fmt.Fprintf(&b, "- name: case %d\n  hosts: localhost\n  connection: local\n  gather_facts: false\n  ignore_errors: true\n%s  tasks:\n", n, c.keys)
		b.WriteString(stsTasks("stsgo.aws", fmt.Sprintf("ours-%d", n), 900+10*n, n == 4))
		if c.ref {
			// community.aws.sts_assume_role is amazon.aws's where it moved.
			b.WriteString(stsTasks("community.aws", fmt.Sprintf("ref-%d", n), 901+10*n, false))
		}
		b.WriteString(c.tasks)
	}
	b.WriteString(`- name: requests
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - uri:
        url: "{{ lookup('env', 'LOCAL_STS_URL') }}/local-sts/requests"
      register: calls
    - copy:
        content: "{{ calls.json | to_json }}"
        dest: "{{ playbook_dir }}/requests.json"
`)
	return b.String()
}

// stsTasks calls a collection's sts_assume_role with role session name
// name, and its sts_session_token for duration seconds (or for the
// defaults' duration).
func stsTasks(collection, name string, duration int, defaultDuration bool) string {
	token := fmt.Sprintf("\n        duration_seconds: %d", duration)
	if defaultDuration {
		token = ""
	}
	return fmt.Sprintf(`    - %[1]s.sts_assume_role:
        role_arn: arn:aws:iam::123456789012:role/deploy
        role_session_name: %[2]s
    - %[1]s.sts_session_token:%[3]s
`, collection, name, token)
}

// regionsSeen runs the playbook on c under the local endpoint, with the
// collection in collections and env added, and returns the region of
// each call by "ACTION NAME": the role session name of an AssumeRole, for
// a GetSessionToken the name its duration stands for (ours-N, ref-N or
// async-N), GetCallerIdentity by its action alone; and the playbook's
// output.
func regionsSeen(t *testing.T, c *roots.Root, collections, playbook string, env ...string) (map[string]string, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "defaults.yml"), []byte(playbook), 0o644); err != nil {
		t.Fatal(err)
	}
	// The async jobs' folder: async_status would look for it in the
	// home of the password database, not in the test's home.
	env = append([]string{"ANSIBLE_COLLECTIONS_PATH=" + collections, "ANSIBLE_ASYNC_DIR=" + filepath.Join(dir, "async")}, env...)
	out, code := withLocalSTSOn(t, c, []string{collections}, dir, env, "ansible-playbook", "-i", "localhost,", "defaults.yml")
	if code != 0 || !strings.Contains(out, "failed=0") {
		t.Fatalf("defaults.yml on %s: exit %d\n%s\n%s", c.Suite, code, playbook, out)
	}
	if strings.Contains(out, "...ignoring") {
		t.Errorf("defaults.yml on %s: a task failed\n%s", c.Suite, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "requests.json"))
	if err != nil {
		t.Fatal(err)
	}
	var reqs []struct {
		Method string            `json:"method"`
		Path   string            `json:"path"`
		Action string            `json:"action"`
		Error  string            `json:"error"`
		Egress string            `json:"egress"`
		Region string            `json:"region"`
		Status int               `json:"status"`
		Params map[string]string `json:"params"`
	}
	if err := json.Unmarshal(data, &reqs); err != nil {
		t.Fatalf("requests.json: %v\n%s", err, data)
	}
	seen := map[string]string{}
	for _, r := range reqs {
		key := r.Action
		switch r.Action {
		case "AssumeRole":
			key += " " + r.Params["RoleSessionName"]
		case "GetSessionToken":
			d, _ := strconv.Atoi(r.Params["DurationSeconds"])
			key += fmt.Sprintf(" %s-%d", []string{"ours", "ref", "async"}[(d-900)%10], (d-900)/10)
		case "GetCallerIdentity":
		default:
			// aws_caller_info also asks IAM for the account's aliases,
			// and does without when it cannot.
			t.Logf("not an STS call: %+v", r)
			continue
		}
		if r.Status != 200 {
			t.Errorf("%s: status %d (%+v)", key, r.Status, r)
		}
		if _, dup := seen[key]; dup {
			t.Errorf("%s: called twice", key)
		}
		seen[key] = r.Region
	}
	t.Logf("%s (%s): regions seen %v", c.Suite, c.Versions, seen)
	return seen, out
}

func TestModuleDefaultsGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: module_defaults through ansible-core")
	}
	eachController(t, func(t *testing.T, c *roots.Root) {
		collections := installCollection(t, c)

		t.Run("amazon.aws and community.aws installed", func(t *testing.T) {
			if c.Versions.AmazonAWS == "" || c.Versions.CommunityAWS == "" {
				unsupported(t, "%s has no amazon.aws or community.aws (%s)", c.Suite, c.Versions)
			}
			major, err := strconv.Atoi(strings.Split(c.Versions.AmazonAWS, ".")[0])
			if err != nil {
				t.Fatalf("amazon.aws version %q: %v", c.Versions.AmazonAWS, err)
			}
			// sts_assume_role moved from community.aws's group to
			// amazon.aws's in amazon.aws 7.
			amazon, community := "us-east-1", "sa-east-1"
			if major >= 7 {
				amazon, community = "eu-north-1", "us-east-1"
			}
			seen, out := regionsSeen(t, c, collections, defaultsPlaybook(defaultsCases(true)))
			want := map[string]string{
				"AssumeRole ours-1": "ap-south-1", "GetSessionToken ours-1": "ap-south-1", "GetSessionToken async-1": "ap-south-1",
				"AssumeRole ours-2": amazon, "GetSessionToken ours-2": "us-east-1",
				"AssumeRole ours-3": community, "GetSessionToken ours-3": "sa-east-1",
				"AssumeRole ours-4": "eu-west-2", "GetSessionToken ours-4": "eu-west-2",
				"GetCallerIdentity": "us-east-1",
				"AssumeRole ours-5": "eu-west-2", "GetSessionToken ours-5": "eu-west-2", "AssumeRole task-5": "ca-central-1",
				"AssumeRole ours-6": "ap-northeast-1", "GetSessionToken ours-6": "me-south-1",
			}
			got := map[string]string{}
			for k := range want {
				got[k] = seen[k]
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("regions the endpoint saw (-want +got):\n%s\n%s", diff, out)
			}
			// The Python modules got the same from groups 1 to 3; in case
			// 5 an AWS collection's group or group/aws gave them a region,
			// which ours did not take.
			for _, call := range []string{"AssumeRole", "GetSessionToken"} {
				for n := 1; n <= 3; n++ {
					ours, ref := seen[fmt.Sprintf("%s ours-%d", call, n)], seen[fmt.Sprintf("%s ref-%d", call, n)]
					if ours != ref {
						t.Errorf("case %d: %s saw %q from ours, %q from the Python module", n, call, ours, ref)
					}
				}
				if ref := seen[call+" ref-5"]; ref == "" || ref == "us-east-1" || ref == "eu-west-2" {
					t.Errorf("case 5: the Python module's %s saw %q, want a region of the AWS groups", call, ref)
				}
			}
		})

		t.Run("without amazon.aws and community.aws", func(t *testing.T) {
			// Debian's collections are on Python's path: left out, only
			// ansible-core and this collection remain.
			hidden := "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false"
			seen, out := regionsSeen(t, c, collections, defaultsPlaybook(defaultsCases(false)), hidden)
			want := map[string]string{
				"AssumeRole ours-1": "ap-south-1", "GetSessionToken ours-1": "ap-south-1", "GetSessionToken async-1": "ap-south-1",
				"AssumeRole ours-4": "eu-west-2", "GetSessionToken ours-4": "eu-west-2",
				"AssumeRole ours-5": "eu-west-2", "GetSessionToken ours-5": "eu-west-2", "AssumeRole task-5": "ca-central-1",
				"AssumeRole ours-6": "ap-northeast-1", "GetSessionToken ours-6": "me-south-1",
			}
			if diff := cmp.Diff(want, seen); diff != "" {
				t.Errorf("regions the endpoint saw (-want +got):\n%s\n%s", diff, out)
			}
			// ansible-core refuses a group of a collection it cannot find
			// while it loads the play, before any task: such a play
			// cannot run, whichever module it calls.
			dir := t.TempDir()
			play := "- hosts: localhost\n  gather_facts: false\n  module_defaults:\n    group/amazon.aws.aws: {region: eu-north-1}\n" +
				"  tasks:\n    - stsgo.aws.sts_session_token:\n"
			if err := os.WriteFile(filepath.Join(dir, "amazon.yml"), []byte(play), 0o644); err != nil {
				t.Fatal(err)
			}
			env := []string{"ANSIBLE_COLLECTIONS_PATH=" + collections, hidden}
			out, code := withLocalSTSOn(t, c, []string{collections}, dir, env, "ansible-playbook", "-i", "localhost,", "-c", "local", "amazon.yml")
			if code == 0 || !warned(out, "could not resolve the module_defaults group amazon.aws.aws") {
				t.Errorf("group/amazon.aws.aws without amazon.aws: exit %d\n%s", code, out)
			}
		})
	})
}
