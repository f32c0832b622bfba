package awsauth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sync"
	"time"
)

// unverifiedBundle is what the SDK's loader is handed as the CA bundle
// when certificates are not verified, so that it looks for none of its
// own: it reads AWS_CA_BUNDLE and the profile's ca_bundle itself, and fails
// on a file that cannot be read, where botocore, given verify=False, reads
// no bundle at all. The loader insists on at least one certificate, so
// this is one made here, of a key that is thrown away; it only ever joins
// a client that verifies nothing.
var unverifiedBundle = sync.OnceValues(func() ([]byte, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "ansible-sts: certificates not verified"},
		NotBefore:    time.Unix(0, 0),
		NotAfter:     time.Unix(0, 0).Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
})
