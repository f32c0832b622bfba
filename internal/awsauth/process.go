package awsauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// The bounds of a credential_process. Its answer is a few hundred bytes;
// what it prints on stderr goes to the module's stderr, as with the SDK,
// up to a point.
const (
	processOutputLimit = 1 << 20
	processStderrLimit = 64 << 10
	// processWaitDelay is how long the module waits, once the command has
	// exited or been killed, for whatever still holds its output open.
	processWaitDelay = time.Second
	// processMargin is how long before the module's deadline the command
	// is killed, so that the module reports it and exits after it.
	processMargin = processWaitDelay + 500*time.Millisecond
)

// processProvider runs a profile's credential_process as the SDK's
// processcreds provider does (sh -c COMMAND, a JSON answer on stdout), but
// in a process group of its own, which is killed when the call's deadline
// passes or the answer grows beyond processOutputLimit, and in any case
// once the command has exited: nothing it starts outlives the module. Its
// errors never quote the answer, which holds the secret key.
type processProvider struct {
	profile string // the profile whose credential_process it is
	command string
	// deadline is when the command is killed. It comes from the module's
	// deadline, not from Retrieve's context: the SDK's credentials cache
	// hands its providers a context without the caller's deadline.
	deadline time.Time
}

// Retrieve runs the command and reads its answer.
func (p *processProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if p.command == "" {
		return aws.Credentials{}, p.fail("is empty")
	}
	out, err := p.execute(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	creds, err := parseProcessAnswer(out)
	if err != nil {
		return aws.Credentials{}, p.fail("printed an answer that could not be parsed: %v", err)
	}
	creds.Source = processcreds.ProviderName
	return creds, nil
}

// execute starts the command and returns what it printed, within the
// module's deadline.
func (p *processProvider) execute(ctx context.Context) ([]byte, error) {
	// The module's deadline bounds the command, and the SDK's own limit
	// when there is none.
	deadline := time.Now().Add(processcreds.DefaultTimeout)
	if !p.deadline.IsZero() && p.deadline.Before(deadline) {
		deadline = p.deadline
	}
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	allowed := max(time.Until(deadline), 0).Round(100 * time.Millisecond)

	cmd := exec.CommandContext(ctx, "sh", "-c", p.command)
	stdout := &cappedBuffer{limit: processOutputLimit}
	cmd.Stdout = stdout
	// A pipe, not the module's own stderr: a process that escaped the
	// group could otherwise keep it open, and ansible-core waits for it.
	cmd.Stderr = &cappedWriter{w: os.Stderr, n: processStderrLimit}
	cmd.WaitDelay = processWaitDelay
	inOwnGroup(cmd)
	stdout.full = func() { killGroup(cmd) }

	if err := cmd.Start(); err != nil {
		return nil, p.fail("could not be started: %v", err)
	}
	err := cmd.Wait()
	killGroup(cmd) // whatever it left running
	switch {
	case stdout.over:
		return nil, p.fail("printed more than %d MiB, so it was stopped", processOutputLimit>>20)
	case ctx.Err() != nil:
		return nil, p.fail("did not finish within %v, so it was stopped, with every process it started", allowed)
	case err != nil && !errors.Is(err, exec.ErrWaitDelay):
		return nil, p.fail("failed: %v", err)
	}
	return stdout.buf, nil
}

func (p *processProvider) fail(format string, args ...any) error {
	return &CredentialSourceError{Msg: fmt.Sprintf("the credential_process of profile %s ", p.profile) + fmt.Sprintf(format, args...)}
}

// cappedBuffer keeps what is written up to limit; past it, it calls full
// and fails the write, which stops the copy from the command.
type cappedBuffer struct {
	buf   []byte
	limit int
	over  bool
	full  func()
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if len(b.buf)+len(p) > b.limit {
		b.over = true
		b.full()
		return 0, errors.New("credential_process output over its limit")
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// cappedWriter passes on the first n bytes written and drops the rest.
type cappedWriter struct {
	w io.Writer
	n int
}

func (c *cappedWriter) Write(p []byte) (int, error) {
	if c.n > 0 {
		k := min(len(p), c.n)
		c.n -= k
		c.w.Write(p[:k])
	}
	return len(p), nil
}

// processSwap puts processProvider where the SDK's chain would use its
// processcreds provider, which offers no way to change how the command
// runs. The SDK builds its chain when it loads the configuration; the
// process provider ends up either as the chain itself (see apply) or as the
// credentials of the STS client that assumes a profile's role_arn, which
// the assume-role options see (assumeRoleOptions). The command is known
// once the configuration is loaded.
type processSwap struct{ p *processProvider }

// newProcessSwap prepares the swap for a module run that must be over by
// deadline.
func newProcessSwap(deadline time.Time) processSwap {
	return processSwap{&processProvider{deadline: deadline.Add(-processMargin)}}
}

func (s processSwap) assumeRoleOptions(o *stscreds.AssumeRoleOptions) {
	c, ok := o.Client.(*sts.Client)
	if ok && aws.IsCredentialsProvider(c.Options().Credentials, (*processcreds.Provider)(nil)) {
		o.Client = withCredentials{c, aws.NewCredentialsCache(s.p)}
	}
}

// apply names the command (the profile at the end of the source_profile
// links, where the SDK takes it from) and replaces the chain itself when it
// is the process provider.
func (s processSwap) apply(cfg *aws.Config) {
	for _, src := range cfg.ConfigSources {
		sc, ok := src.(config.SharedConfig)
		if !ok {
			continue
		}
		leaf := &sc
		for leaf.Source != nil {
			leaf = leaf.Source
		}
		s.p.profile, s.p.command = leaf.Profile, leaf.CredentialProcess
		break
	}
	if aws.IsCredentialsProvider(cfg.Credentials, (*processcreds.Provider)(nil)) {
		cfg.Credentials = aws.NewCredentialsCache(s.p)
	}
}

// withCredentials is an STS client whose AssumeRole calls use creds.
type withCredentials struct {
	*sts.Client
	creds aws.CredentialsProvider
}

func (c withCredentials) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	return c.Client.AssumeRole(ctx, in, append(optFns, func(o *sts.Options) { o.Credentials = c.creds })...)
}
