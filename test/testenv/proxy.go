package testenv

import (
	"net"
	"sync"
	"time"
)

// Traffic is what crossed one host's TCP connections: bytes each way, and
// round trips, counted as the times the client spoke again after the host
// had answered.
type Traffic struct {
	mu              sync.Mutex
	up, down, turns int64
	last            int // 0 nothing yet, 1 up, 2 down
}

// Counts returns the bytes from the controller to the host, back, and the
// round trips so far.
func (c *Traffic) Counts() (up, down, turns int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.up, c.down, c.turns
}

func (c *Traffic) add(dir int, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if dir == 1 {
		c.up += int64(n)
		if c.last != 1 {
			c.turns++
		}
	} else {
		c.down += int64(n)
	}
	c.last = dir
}

// proxy forwards every connection to listen on to target, counting what
// crosses and holding each chunk back for delay, until the test ends.
func proxy(t T, listen, target string, delay time.Duration) *Traffic {
	t.Helper()
	l, err := net.Listen("tcp", listen)
	if err != nil {
		t.Fatal(err)
	}
	c := &Traffic{}
	var wg sync.WaitGroup
	var mu sync.Mutex
	conns := map[net.Conn]bool{}
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for conn := range conns {
			conn.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	go func() {
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			mu.Lock()
			conns[in], conns[out] = true, true
			mu.Unlock()
			wg.Add(2)
			go c.pipe(&wg, out, in, 1, delay)
			go c.pipe(&wg, in, out, 2, delay)
		}
	}()
	return c
}

func (c *Traffic) pipe(wg *sync.WaitGroup, dst, src net.Conn, dir int, delay time.Duration) {
	defer wg.Done()
	// A delay line: chunks leave in order, each delay after it arrived,
	// so the delay adds latency without limiting throughput.
	type chunk struct {
		data []byte
		due  time.Time
	}
	line := make(chan chunk, 4096)
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for ch := range line {
			time.Sleep(time.Until(ch.due))
			if _, err := dst.Write(ch.data); err != nil {
				for range line {
				}
				return
			}
		}
	}()
	for {
		buf := make([]byte, 32<<10)
		n, err := src.Read(buf)
		if n > 0 {
			c.add(dir, n)
			line <- chunk{buf[:n], time.Now().Add(delay)}
		}
		if err != nil {
			break
		}
	}
	close(line)
	<-sent
	// The host's side ending ends the connection; the controller's side
	// ending is passed on as a half close.
	if tc, ok := dst.(*net.TCPConn); ok && dir == 1 {
		tc.CloseWrite()
		return
	}
	dst.Close()
	src.Close()
}
