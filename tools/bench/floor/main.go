// Command floor is the benchmark's lower bound for a module call: a static
// Go program that reads the arguments file, makes one SigV4-signed
// AssumeRole POST to its endpoint_url and prints one JSON line. It does
// what any STS module must do and nothing more: no argument semantics, no
// credential chain, no retries, no result masking.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

func main() {
	status, err := run(os.Args[1:])
	if err != nil {
		fmt.Printf("{\"failed\": true, \"msg\": %q}\n", err.Error())
		os.Exit(1)
	}
	fmt.Printf("{\"changed\": true, \"status\": %d}\n", status)
}

// run reads the arguments file named by argv[0], makes the call and returns
// the HTTP status.
func run(argv []string) (int, error) {
	if len(argv) == 0 {
		return 0, fmt.Errorf("usage: floor ARGS_FILE")
	}
	data, err := os.ReadFile(argv[0])
	if err != nil {
		return 0, err
	}
	var args map[string]any
	if err := json.Unmarshal(data, &args); err != nil {
		return 0, err
	}
	str := func(k string) string { s, _ := args[k].(string); return s }
	form := url.Values{
		"Action":          {"AssumeRole"},
		"Version":         {"2011-06-15"},
		"RoleArn":         {str("role_arn")},
		"RoleSessionName": {str("role_session_name")},
	}.Encode()
	req, err := http.NewRequest(http.MethodPost, str("endpoint_url"), strings.NewReader(form))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sign(req, []byte(form), str("access_key"), str("secret_key"), str("region"), time.Now().UTC())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, fmt.Errorf("status %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}
