package fakests_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

const (
	firstRole    = "arn:aws:iam::123456789012:role/first"
	secondRole   = "arn:aws:iam::123456789012:role/second"
	thirdRole    = "arn:aws:iam::123456789012:role/third"
	untaggedRole = "arn:aws:iam::123456789012:role/untagged"
	anonRole     = "arn:aws:iam::123456789012:role/anonymous"
	managedARN   = "arn:aws:iam::aws:policy/ReadOnlyAccess"
)

// sessionRoles chain first -> second -> third; untagged refuses
// sts:TagSession and anonymous sts:SetSourceIdentity.
var sessionRoles = []fakests.Role{
	{ARN: firstRole, Trust: []string{ci.ARN}},
	{ARN: secondRole, Trust: []string{firstRole}},
	{ARN: thirdRole, Trust: []string{secondRole}},
	{ARN: untaggedRole, Trust: []string{ci.ARN, firstRole}, DenyTagSession: true},
	{ARN: anonRole, Trust: []string{ci.ARN, firstRole}, DenySetSourceIdentity: true},
}

func tags(kv ...string) []types.Tag {
	var out []types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func manyTags(n int) []types.Tag {
	var out []types.Tag
	for i := range n {
		out = append(out, types.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")})
	}
	return out
}

func policyARNs(arns ...string) []types.PolicyDescriptorType {
	var out []types.PolicyDescriptorType
	for _, a := range arns {
		out = append(out, types.PolicyDescriptorType{Arn: aws.String(a)})
	}
	return out
}

func validationErr(msg string) testenv.APIError {
	return testenv.APIError{Status: 400, Code: "ValidationError", Message: "1 validation error detected: " + msg}
}

func notAuthorized(callerARN, action, roleARN string) testenv.APIError {
	return testenv.APIError{Status: 403, Code: "AccessDenied", Message: "User: " + callerARN + " is not authorized to perform: " + action + " on resource: " + roleARN}
}

// TestSessionRefusals: AssumeRole refuses what AWS refuses of tags, policy
// ARNs and source identities, with its codes and texts.
func TestSessionRefusals(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{ci}, Roles: sessionRoles})
	ctx := context.Background()
	first := firstSession(t, srv)
	firstKeys := testenv.TempKeys(first.Credentials)
	firstARN := aws.ToString(first.AssumedRoleUser.Arn)
	long := strings.Repeat("x", 1900)
	bigPolicy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + long + `"}]}`

	tests := []struct {
		name string
		keys testenv.Keys
		in   sts.AssumeRoleInput
		want testenv.APIError
	}{
		{
			name: "transitive key without its tag",
			in:   sts.AssumeRoleInput{Tags: tags("Project", "blue"), TransitiveTagKeys: []string{"Team"}},
			want: testenv.APIError{Status: 400, Code: "InvalidParameterValue", Message: fakests.MsgTransitiveKeyNotTagged},
		},
		{
			name: "keys differing in case",
			in:   sts.AssumeRoleInput{Tags: tags("Project", "blue", "project", "red")},
			want: testenv.APIError{Status: 400, Code: "InvalidParameterValue", Message: "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		},
		{
			name: "key of 129 characters",
			in:   sts.AssumeRoleInput{Tags: tags(strings.Repeat("k", 129), "v")},
			want: validationErr("Value '" + strings.Repeat("k", 129) + "' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"),
		},
		{
			name: "value of 257 characters",
			in:   sts.AssumeRoleInput{Tags: tags("a", "b", "k", strings.Repeat("v", 257))},
			want: validationErr("Value '" + strings.Repeat("v", 257) + "' at 'tags.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 256"),
		},
		{
			name: "51 tags",
			in:   sts.AssumeRoleInput{Tags: manyTags(51)},
			want: validationErr("Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"),
		},
		{
			name: "51 transitive keys",
			in: sts.AssumeRoleInput{Tags: manyTags(50), TransitiveTagKeys: func() []string {
				var keys []string
				for i := range 51 {
					keys = append(keys, fmt.Sprintf("k%d", i%50))
				}
				return keys
			}()},
			want: validationErr("Value at 'transitiveTagKeys' failed to satisfy constraint: Member must have length less than or equal to 50"),
		},
		{
			name: "key outside the pattern",
			in:   sts.AssumeRoleInput{Tags: tags("bad#key", "v")},
			want: validationErr(`Value 'bad#key' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`),
		},
		{
			name: "value outside the pattern",
			in:   sts.AssumeRoleInput{Tags: tags("k", "a&b")},
			want: validationErr(`Value 'a&b' at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*`),
		},
		{
			name: "transitive key outside the pattern",
			in:   sts.AssumeRoleInput{Tags: tags("k", "v"), TransitiveTagKeys: []string{"k!"}},
			want: validationErr(`Value 'k!' at 'transitiveTagKeys.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`),
		},
		{
			name: "11 policy ARNs",
			in: sts.AssumeRoleInput{PolicyArns: policyARNs(managedARN, managedARN, managedARN, managedARN, managedARN,
				managedARN, managedARN, managedARN, managedARN, managedARN, managedARN)},
			want: validationErr("Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10"),
		},
		{
			name: "policy ARN of 19 characters",
			in:   sts.AssumeRoleInput{PolicyArns: policyARNs(managedARN, "arn:aws:iam::1:p/ab")},
			want: validationErr("Value 'arn:aws:iam::1:p/ab' at 'policyArns.2.member.arn' failed to satisfy constraint: Member must have length greater than or equal to 20"),
		},
		{
			name: "policy ARN of 2049 characters",
			in:   sts.AssumeRoleInput{PolicyArns: policyARNs(managedARN + strings.Repeat("x", 2049-len(managedARN)))},
			want: validationErr("Value '" + managedARN + strings.Repeat("x", 2049-len(managedARN)) + "' at 'policyArns.1.member.arn' failed to satisfy constraint: Member must have length less than or equal to 2048"),
		},
		{
			name: "source identity of one character",
			in:   sts.AssumeRoleInput{SourceIdentity: aws.String("a")},
			want: validationErr("Value 'a' at 'sourceIdentity' failed to satisfy constraint: Member must have length greater than or equal to 2"),
		},
		{
			name: "source identity of 65 characters",
			in:   sts.AssumeRoleInput{SourceIdentity: aws.String(strings.Repeat("s", 65))},
			want: validationErr("Value '" + strings.Repeat("s", 65) + "' at 'sourceIdentity' failed to satisfy constraint: Member must have length less than or equal to 64"),
		},
		{
			name: "source identity outside the pattern",
			in:   sts.AssumeRoleInput{SourceIdentity: aws.String("alice smith")},
			want: validationErr(`Value 'alice smith' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`),
		},
		{
			name: "policy and policy ARNs over the packed budget",
			in:   sts.AssumeRoleInput{Policy: aws.String(bigPolicy), PolicyArns: policyARNs(managedARN, managedARN, managedARN, managedARN)},
			want: testenv.APIError{Status: 400, Code: "PackedPolicyTooLarge", Message: fmt.Sprintf("Packed policy consumes %d%% of allotted space", (len(bigPolicy)+4*len(managedARN))*100/2048+1)},
		},
		{
			name: "tags over the packed budget",
			in: sts.AssumeRoleInput{Tags: func() []types.Tag {
				t := manyTags(9)
				t[0].Value = aws.String(strings.Repeat("v", 256))
				return append(t, tags(strings.Repeat("k", 128), strings.Repeat("v", 256), strings.Repeat("l", 128), strings.Repeat("v", 256), strings.Repeat("m", 128), strings.Repeat("v", 256), strings.Repeat("n", 128), strings.Repeat("v", 256), strings.Repeat("o", 128), strings.Repeat("v", 256))...)
			}()},
			want: testenv.APIError{Status: 400, Code: "PackedPolicyTooLarge", Message: fmt.Sprintf("Packed size of session tags consumes %d%% of allotted space.", ((9*3+255)+5*384)*100/2048+1)},
		},
		{
			name: "tags for a role refusing sts:TagSession",
			in:   sts.AssumeRoleInput{RoleArn: aws.String(untaggedRole), Tags: tags("k", "v")},
			want: notAuthorized(ci.ARN, "sts:TagSession", untaggedRole),
		},
		{
			name: "transitive keys for a role refusing sts:TagSession",
			in:   sts.AssumeRoleInput{RoleArn: aws.String(untaggedRole), TransitiveTagKeys: []string{"k"}, Tags: tags("k", "v")},
			want: notAuthorized(ci.ARN, "sts:TagSession", untaggedRole),
		},
		{
			name: "source identity for a role refusing sts:SetSourceIdentity",
			in:   sts.AssumeRoleInput{RoleArn: aws.String(anonRole), SourceIdentity: aws.String("alice")},
			want: notAuthorized(ci.ARN, "sts:SetSourceIdentity", anonRole),
		},
		{
			name: "tag colliding with a transitive tag of the caller",
			keys: firstKeys,
			in:   sts.AssumeRoleInput{RoleArn: aws.String(secondRole), Tags: tags("PROJECT", "red")},
			want: testenv.APIError{Status: 400, Code: "InvalidParameterValue", Message: fakests.MsgTransitiveTagConflict},
		},
		{
			name: "another source identity in a chain",
			keys: firstKeys,
			in:   sts.AssumeRoleInput{RoleArn: aws.String(secondRole), SourceIdentity: aws.String("mallory")},
			want: testenv.APIError{Status: 400, Code: "ValidationError", Message: fakests.MsgSourceIdentitySet},
		},
		{
			name: "passing transitive tags to a role refusing sts:TagSession",
			keys: firstKeys,
			in:   sts.AssumeRoleInput{RoleArn: aws.String(untaggedRole)},
			want: notAuthorized(firstARN, "sts:TagSession", untaggedRole),
		},
		{
			name: "passing a source identity to a role refusing sts:SetSourceIdentity",
			keys: firstKeys,
			in:   sts.AssumeRoleInput{RoleArn: aws.String(anonRole)},
			want: notAuthorized(firstARN, "sts:SetSourceIdentity", anonRole),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := tt.keys
			if k.ID == "" {
				k = testenv.UserKeys(ci)
			}
			in := tt.in
			if in.RoleArn == nil {
				in.RoleArn = aws.String(firstRole)
			}
			in.RoleSessionName = aws.String("refused")
			_, err := newClient(t, srv, k).AssumeRole(ctx, &in)
			if diff := cmp.Diff(tt.want, testenv.SDKError(t, err)); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSessionChain: transitive tags and the source identity pass from
// session to session through two chained roles; other tags do not.
func TestSessionChain(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{ci}, Roles: sessionRoles})
	ctx := context.Background()
	first := firstSession(t, srv)
	// Sending the same source identity again is no change.
	second, err := newClient(t, srv, testenv.TempKeys(first.Credentials)).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String(secondRole), RoleSessionName: aws.String("second"),
		Tags: tags("Step", "two"), SourceIdentity: aws.String("alice"),
	})
	if err != nil {
		t.Fatal(err)
	}
	third, err := newClient(t, srv, testenv.TempKeys(second.Credentials)).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String(thirdRole), RoleSessionName: aws.String("third"),
	})
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		SourceIdentity   string
		PackedPolicySize int32
	}
	got := []result{}
	for _, out := range []*sts.AssumeRoleOutput{first, second, third} {
		got = append(got, result{aws.ToString(out.SourceIdentity), aws.ToInt32(packedPolicySize(out))})
	}
	want := []result{
		{"alice", 1}, // Project, blue, Stage and dev: 18 bytes
		{"alice", 1},
		{"alice", 1}, // Project=blue passed on: PackedPolicySize still comes back
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AssumeRole results mismatch (-want +got):\n%s", diff)
	}

	type session struct {
		Role           string
		SourceIdentity string
		Tags           []fakests.Tag
		Transitive     []string
	}
	var sessions []session
	for _, c := range srv.IssuedCredentials() {
		sessions = append(sessions, session{c.Identity.RoleARN, c.SourceIdentity, c.Tags, c.TransitiveTagKeys})
	}
	wantSessions := []session{
		{firstRole, "alice", []fakests.Tag{{"Project", "blue"}, {"Stage", "dev"}}, []string{"project"}},
		{secondRole, "alice", []fakests.Tag{{"Step", "two"}, {"Project", "blue"}}, []string{"project"}},
		{thirdRole, "alice", []fakests.Tag{{"Project", "blue"}}, []string{"project"}},
	}
	if diff := cmp.Diff(wantSessions, sessions, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("sessions mismatch (-want +got):\n%s", diff)
	}
}

// TestPackedPolicySize: PackedPolicySize comes back for a policy, policy
// ARNs or tags, and counts all three.
func TestPackedPolicySize(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{ci}})
	policy := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`
	compact := len(`{"Statement":[{"Action":"s3:*","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}`)
	ceil := func(n int) int32 { return int32((n*100 + 2047) / 2048) }
	tests := []struct {
		name string
		in   sts.AssumeRoleInput
		want int32 // -1: absent
	}{
		{name: "nothing", want: -1},
		{name: "source identity only", in: sts.AssumeRoleInput{SourceIdentity: aws.String("alice")}, want: -1},
		{name: "policy", in: sts.AssumeRoleInput{Policy: aws.String(policy)}, want: ceil(compact)},
		{name: "tags", in: sts.AssumeRoleInput{Tags: tags(strings.Repeat("k", 128), strings.Repeat("v", 256))}, want: ceil(384)},
		{name: "policy ARNs", in: sts.AssumeRoleInput{PolicyArns: policyARNs(managedARN, managedARN)}, want: ceil(2 * len(managedARN))},
		{
			name: "all three",
			in: sts.AssumeRoleInput{
				Policy: aws.String(policy), PolicyArns: policyARNs(managedARN),
				Tags: tags(strings.Repeat("k", 128), strings.Repeat("v", 256), "Team", "blue"),
			},
			want: ceil(compact + len(managedARN) + 384 + 8),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.RoleArn, in.RoleSessionName = aws.String(roleA), aws.String("packed")
			out, err := newClient(t, srv, testenv.UserKeys(ci)).AssumeRole(context.Background(), &in)
			if err != nil {
				t.Fatal(err)
			}
			got := int32(-1)
			if size := packedPolicySize(out); size != nil {
				got = *size
			}
			if got != tt.want {
				t.Errorf("PackedPolicySize = %d, want %d", got, tt.want)
			}
		})
	}
}

// firstSession is ci's session of the first role, tagged Project (passed
// on) and Stage, with the source identity alice: the start of a chain.
func firstSession(t *testing.T, srv *testenv.STS) *sts.AssumeRoleOutput {
	t.Helper()
	first, err := newClient(t, srv, testenv.UserKeys(ci)).AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn: aws.String(firstRole), RoleSessionName: aws.String("first"),
		Tags: tags("Project", "blue", "Stage", "dev"), TransitiveTagKeys: []string{"Project"}, SourceIdentity: aws.String("alice"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return first
}
