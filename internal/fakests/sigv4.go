package fakests

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	sigV4Algorithm  = "AWS4-HMAC-SHA256"
	sigV4Terminator = "aws4_request"
	unsignedPayload = "UNSIGNED-PAYLOAD"
	// clockSkew is how far X-Amz-Date may be from the server's clock.
	clockSkew = 15 * time.Minute
	// maxPresignExpiry is the longest X-Amz-Expires SigV4 allows.
	maxPresignExpiry = 7 * 24 * time.Hour
)

// sigV4 is what a request's Signature Version 4 authentication claims.
type sigV4 struct {
	accessKeyID string
	// date, region, service and terminator make up the credential scope.
	date, region, service, terminator string
	signedHeaders                     string
	signature                         string
	amzDate                           string
	sessionToken                      string
	// presigned is set for query-string authentication, whose lifetime
	// is expires.
	presigned bool
	expires   string
}

// scope returns the credential scope exactly as the client sent it.
func (a sigV4) scope() string {
	return a.date + "/" + a.region + "/" + a.service + "/" + a.terminator
}

// parseSigV4 reads the SigV4 claims of r, from its Authorization header or,
// for a presigned URL, from query. It returns what it could read even when
// it also returns an error.
func parseSigV4(r *http.Request, query url.Values) (sigV4, *apiError) {
	var a sigV4
	var credential string
	switch h := strings.TrimSpace(r.Header.Get("Authorization")); {
	case h != "":
		alg, rest, _ := strings.Cut(h, " ")
		if alg != sigV4Algorithm {
			return a, errMissingAuth()
		}
		for _, part := range strings.Split(rest, ",") {
			part = strings.TrimSpace(part)
			k, v, ok := strings.Cut(part, "=")
			if !ok && part != "" {
				return a, errIncompleteSignature(fmt.Sprintf("'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'", part, h))
			}
			switch k {
			case "Credential":
				credential = v
			case "SignedHeaders":
				a.signedHeaders = v
			case "Signature":
				a.signature = v
			}
		}
		a.amzDate = r.Header.Get("X-Amz-Date")
		a.sessionToken = r.Header.Get("X-Amz-Security-Token")
		if e := incompleteHeader(alg, credential, a); e != nil {
			return a, e
		}
	case query.Has("X-Amz-Signature") || query.Has("X-Amz-Credential"):
		if query.Get("X-Amz-Algorithm") != sigV4Algorithm {
			return a, errMissingAuth()
		}
		a.presigned = true
		credential = query.Get("X-Amz-Credential")
		a.signedHeaders = query.Get("X-Amz-SignedHeaders")
		a.signature = query.Get("X-Amz-Signature")
		a.amzDate = query.Get("X-Amz-Date")
		a.expires = query.Get("X-Amz-Expires")
		a.sessionToken = query.Get("X-Amz-Security-Token")
		if credential == "" || a.signedHeaders == "" || a.signature == "" {
			return a, errMissingAuth()
		}
		if a.amzDate == "" {
			return a, errIncompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
		}
	default:
		return a, errMissingAuth()
	}
	parts := strings.Split(credential, "/")
	if len(parts) != 5 {
		return a, errIncompleteSignature("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + credential + "'")
	}
	if parts[0] == "" {
		return a, errMissingAuth()
	}
	a.accessKeyID, a.date, a.region, a.service, a.terminator = parts[0], parts[1], parts[2], parts[3], parts[4]
	return a, nil
}

// incompleteHeader returns STS's IncompleteSignature answer to an
// Authorization header of algorithm alg that lacks the Credential,
// Signature or SignedHeaders parameter, or whose request has no
// X-Amz-Date: one sentence for each thing missing, then the algorithm.
func incompleteHeader(alg, credential string, a sigV4) *apiError {
	var b strings.Builder
	for _, p := range []struct{ name, value string }{
		{"Credential", credential}, {"Signature", a.signature}, {"SignedHeaders", a.signedHeaders},
	} {
		if p.value == "" {
			b.WriteString("Authorization header requires '" + p.name + "' parameter. ")
		}
	}
	if a.amzDate == "" {
		b.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
	}
	if b.Len() == 0 {
		return nil
	}
	return errIncompleteSignature(b.String() + "Authorization=" + alg)
}

// verifySigV4 checks a's claims and signature for r, whose body is body and
// whose decoded query string is query, against secret at time now.
func verifySigV4(r *http.Request, body []byte, query url.Values, a sigV4, secret string, now time.Time) *apiError {
	signed, err := time.Parse(amzDateFormat, a.amzDate)
	if err != nil {
		return errIncompleteSignature(fmt.Sprintf("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", a.amzDate))
	}
	if a.service != "sts" {
		return errSignature("Credential should be scoped to correct service: 'sts'. ")
	}
	if a.terminator != sigV4Terminator {
		return errSignature("Credential should be scoped with a valid terminator: 'aws4_request', not '" + a.terminator + "'. ")
	}
	if a.region == "" {
		return errSignature("Credential should be scoped to a valid region. ")
	}
	if a.date != a.amzDate[:8] {
		return errSignature(fmt.Sprintf("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			a.date, a.amzDate[:8], a.amzDate))
	}
	headers := strings.Split(a.signedHeaders, ";")
	if !slices.Contains(headers, "host") {
		return errIncompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	hashes, apiErr := payloadHashes(r, body, a.presigned)
	if apiErr != nil {
		return apiErr
	}
	if a.presigned {
		query = withoutKey(query, "X-Amz-Signature")
	}
	key := signingKey(secret, a.date, a.region, a.service)
	matched := false
	for _, h := range hashes {
		canonical := canonicalRequest(r, query, headers, a.signedHeaders, h)
		want := hmacSHA256(key, stringToSign(a.amzDate, a.scope(), canonical))
		if got, err := hex.DecodeString(a.signature); err == nil && hmac.Equal(got, want) {
			matched = true
			break
		}
	}
	if !matched {
		return errSignature("")
	}
	if signed.After(now.Add(clockSkew)) || !a.presigned && signed.Before(now.Add(-clockSkew)) {
		return errSkew(signed, now, clockSkew)
	}
	if a.presigned {
		secs, err := strconv.Atoi(a.expires)
		if err != nil || secs <= 0 || time.Duration(secs)*time.Second > maxPresignExpiry {
			return errIncompleteSignature("X-Amz-Expires must be a number of seconds between 1 and 604800.")
		}
		if now.After(signed.Add(time.Duration(secs) * time.Second)) {
			return errAccessDenied("Request has expired")
		}
	}
	return nil
}

// payloadHashes returns the payload hashes the client may have signed:
// the hex SHA-256 of body, or the X-Amz-Content-Sha256 header when it
// agrees with it, and for presigned URLs also UNSIGNED-PAYLOAD.
func payloadHashes(r *http.Request, body []byte, presigned bool) ([]string, *apiError) {
	sum := sha256.Sum256(body)
	computed := hex.EncodeToString(sum[:])
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" {
		if !strings.EqualFold(h, computed) && !(presigned && h == unsignedPayload) {
			return nil, errSignature("The provided 'x-amz-content-sha256' header does not match what was computed.")
		}
		return []string{h}, nil
	}
	if presigned {
		return []string{computed, unsignedPayload}, nil
	}
	return []string{computed}, nil
}

// canonicalRequest builds the SigV4 canonical request of r.
func canonicalRequest(r *http.Request, query url.Values, headers []string, signedHeaders, payloadHash string) string {
	return strings.Join([]string{
		r.Method,
		canonicalURI(r.URL),
		canonicalQuery(query),
		canonicalHeaders(r, headers),
		signedHeaders,
		payloadHash,
	}, "\n")
}

// canonicalURI URI-encodes the escaped path once more, as SigV4 requires
// for every service but S3.
func canonicalURI(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if c := p[i]; c == '/' || unreserved(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// canonicalQuery encodes each name and value per RFC 3986 and sorts the
// pairs after encoding.
func canonicalQuery(query url.Values) string {
	type pair struct{ k, v string }
	var pairs []pair
	for k, vs := range query {
		ek := uriEncode(k)
		for _, v := range vs {
			pairs = append(pairs, pair{ek, uriEncode(v)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p.k + "=" + p.v
	}
	return strings.Join(out, "&")
}

// canonicalHeaders renders the signed headers, each as
// "name:value1,value2\n" with values trimmed and inner whitespace folded.
func canonicalHeaders(r *http.Request, names []string) string {
	var b strings.Builder
	for _, name := range names {
		var values []string
		switch name {
		case "host":
			values = []string{r.Host}
		case "content-length":
			values = r.Header.Values("Content-Length")
			if len(values) == 0 && r.ContentLength >= 0 {
				values = []string{strconv.FormatInt(r.ContentLength, 10)}
			}
		case "transfer-encoding":
			values = r.TransferEncoding
		default:
			values = r.Header.Values(name)
		}
		cleaned := make([]string, len(values))
		for i, v := range values {
			cleaned[i] = strings.Join(strings.Fields(v), " ")
		}
		b.WriteString(name + ":" + strings.Join(cleaned, ",") + "\n")
	}
	return b.String()
}

func stringToSign(amzDate, scope, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return sigV4Algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
}

func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, sigV4Terminator)
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// uriEncode percent-encodes every byte of s outside the RFC 3986
// unreserved set, with upper-case hex.
func uriEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; unreserved(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// withoutKey returns a copy of v without key.
func withoutKey(v url.Values, key string) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		if k != key {
			out[k] = vs
		}
	}
	return out
}
