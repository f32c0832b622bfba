package testenv

import "ansible-sts/internal/fakests"

// The test identities' long-term keys: AWS's documented example keys,
// which no account holds.
const (
	AliceKey    = "AKIAIOSFODNN7EXAMPLE"
	AliceSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	BobKey      = "AKIAI44QH8DHBEXAMPLE"
	BobSecret   = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"
)

// AliceMFASerial is the ARN of alice's MFA device, for the tests that
// give her one.
const AliceMFASerial = "arn:aws:iam::123456789012:mfa/alice"

// Alice returns alice, a user of account 123456789012 with AliceKey, for
// a fake STS's Config.Users.
func Alice() fakests.User {
	return fakests.User{AccessKeyID: AliceKey, SecretAccessKey: AliceSecret, ARN: "arn:aws:iam::123456789012:user/alice"}
}

// Bob returns bob, a user of account 123456789012 with BobKey.
func Bob() fakests.User {
	return fakests.User{AccessKeyID: BobKey, SecretAccessKey: BobSecret, ARN: "arn:aws:iam::123456789012:user/bob"}
}
