// Package awsauth resolves a module's connection to AWS: its credentials,
// region and endpoint, and the settings of the client that calls STS.
//
// In go the connection options, typed (Connection, which the modules fill
// from their arguments as the table Options declares them: names, aliases,
// fallbacks), and the System they run on (environment, files, clock,
// network). Nothing here reads Ansible's values: aws_config comes as a
// ClientConfig, its Python-typed reading done by the modules. Out comes the resolved Settings, the aws.Config the STS
// client is built from, and the secrets that were read on the way, for the
// result to mask. The precedence is the Python modules': an option, then
// its AWS_* and then its EC2_* environment variables, then the shared AWS
// config and credentials files and the boto config file, then the AWS
// SDK's default chain (web identity, SSO, credential_process, container
// and instance roles); chain.go writes it down once. Explicit keys and a
// region resolve without the SDK's loader: no file is read and no
// metadata service is probed.
//
// The STS client's HTTP client (ClientSettings) has the module's connect
// and read timeouts, CA bundle and proxies, bounds an answer's headers and
// retries as botocore's legacy mode does; no client built here follows a
// redirect.
package awsauth
