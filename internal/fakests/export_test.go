package fakests

// Internals the tests of package fakests_test use.
var DerivedID = derivedID

const (
	AmzDateFormat = amzDateFormat
	MaxBodySize   = maxBodySize
)

// IssuedCredentials returns the temporary credentials s has issued,
// oldest first.
func (s *Handler) IssuedCredentials() []Credentials {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Credentials, len(s.order))
	for i, id := range s.order {
		out[i] = *s.issued[id]
	}
	return out
}

// RequestSlots returns the capacity of the request log's storage, 0 once
// it is released.
func (s *Handler) RequestSlots() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cap(s.requests)
}
