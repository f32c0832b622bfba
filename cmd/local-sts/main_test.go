package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"ansible-sts/test/testenv"
)

// commandArg as the first argument makes the test binary act as a command
// for local-sts to run; mainEnv set to 1 makes it act as local-sts.
const (
	commandArg = "local-sts-command"
	mainEnv    = "LOCAL_STS_TEST_MAIN"
)

func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == commandArg {
		os.Exit(fakeCommand(os.Args[2:]))
	}
	if os.Getenv(mainEnv) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// fakeCommand is a command run under local-sts:
//
//	env STATUS   prints its environment as a JSON object, exits with STATUS
//	sdk          calls GetCallerIdentity with the SDK's default
//	             configuration and prints the caller's ARN
//	sleep        prints "ready", then sleeps; SIGINT makes it exit 7
//	egress URL   GETs URL through the proxy the environment names and
//	             prints the answer's status and body, or the error
func fakeCommand(args []string) int {
	switch args[0] {
	case "env":
		env := map[string]string{}
		for _, kv := range os.Environ() {
			name, value, _ := strings.Cut(kv, "=")
			env[name] = value
		}
		if err := json.NewEncoder(os.Stdout).Encode(env); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		n, _ := strconv.Atoi(args[1])
		return n
	case "sdk":
		ctx := context.Background()
		var opts []func(*awsconfig.LoadOptions) error
		if ca := os.Getenv("LOCAL_STS_CA_BUNDLE"); ca != "" {
			f, err := os.Open(ca)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			defer f.Close()
			opts = append(opts, awsconfig.WithCustomCABundle(f))
		}
		cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println(aws.ToString(out.Arn))
		return 0
	case "egress":
		// Dialling loopback only, before any lookup: without the guard's
		// variables the request fails here instead of leaving.
		dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
			if err := testenv.ConnectLoopback(network, addr); err != nil {
				return nil, err
			}
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, DialContext: dial}}
		resp, err := client.Get(args[1])
		if err != nil {
			fmt.Println(err)
			return 1
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			fmt.Println(err)
			return 1
		}
		fmt.Printf("%s\n%s", resp.Status, body)
		return 0
	case "sleep":
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGINT)
		fmt.Println("ready")
		select {
		case <-sigs:
			return 7
		case <-time.After(time.Minute):
			return 0
		}
	}
	fmt.Fprintf(os.Stderr, "unknown command %q\n", args)
	return 2
}
