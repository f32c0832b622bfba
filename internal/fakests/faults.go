package fakests

import (
	"net/http"
	"sync"
	"time"
)

// MsgInternalFailure is the message of the server errors Faults injects.
const MsgInternalFailure = "An internal error has occurred"

// FaultSettings are the faults a Faults injects.
type FaultSettings struct {
	// Throttle is how many of the next calls get 400 Throttling "Rate
	// exceeded".
	Throttle int
	// ServerErrors is how many of the next calls, after the throttled
	// ones, get 500 InternalFailure.
	ServerErrors int
	// Delay is how long every call waits before it is answered.
	Delay time.Duration
}

// Faults injects failures into the answers of the handler it is given to
// as Config.Faults, after signature verification. The zero value injects
// nothing; its methods may be called concurrently, while serving.
type Faults struct {
	mu  sync.Mutex
	cur FaultSettings
}

// Set replaces the faults to inject; negative counts and delays count as
// zero.
func (f *Faults) Set(s FaultSettings) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cur = FaultSettings{Throttle: max(s.Throttle, 0), ServerErrors: max(s.ServerErrors, 0), Delay: max(s.Delay, 0)}
}

// Get returns the faults still to inject.
func (f *Faults) Get() FaultSettings {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cur
}

// take returns the delay before the next answer and the error it must be,
// nil for a normal answer, and counts the error off.
func (f *Faults) take() (time.Duration, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.cur.Throttle > 0:
		f.cur.Throttle--
		return f.cur.Delay, newError(http.StatusBadRequest, "Throttling", "Rate exceeded")
	case f.cur.ServerErrors > 0:
		f.cur.ServerErrors--
		return f.cur.Delay, newError(http.StatusInternalServerError, "InternalFailure", MsgInternalFailure)
	}
	return f.cur.Delay, nil
}
