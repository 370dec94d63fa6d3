// Command eiplab-load is the benchmark's load generator: it sends a bounded
// number of GET requests to one lab address, with bounded concurrency and
// a time cap, and prints one JSON object (count, errors, rps, p50, p99).
//
// It only ever talks to the lab: the URL's host must be an IP literal (no
// DNS), and it must be told which named network namespace it runs in
// (-netns) and refuses to run anywhere else, so it can only reach what a
// lab namespace routes to.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var (
	target      = flag.String("url", "", "URL to GET (its host must be an IP address)")
	requests    = flag.Int("n", 1000, "requests to send (measured ones, after the warm-up)")
	concurrency = flag.Int("c", 8, "requests in flight at once")
	warmup      = flag.Int("warmup", 20, "requests sent first and not measured")
	maxTime     = flag.Duration("max-time", 10*time.Second, "stop sending after this long, whatever -n says")
	timeout     = flag.Duration("timeout", 2*time.Second, "deadline for one request")
	netns       = flag.String("netns", "", "the named network namespace (ip netns) this must be running in")
	keepAlive   = flag.Bool("keepalive", false, "reuse connections (default: a new connection per request, as the app itself dials)")
)

// Limits that keep a typo from turning a lab benchmark into a flood.
const (
	maxRequests    = 1_000_000
	maxConcurrency = 256
	maxDuration    = 5 * time.Minute
)

type summary struct {
	URL         string  `json:"url"`
	Requested   int     `json:"requested"`
	Count       int     `json:"count"`
	OK          int     `json:"ok"`
	Errors      int     `json:"errors"`
	FirstError  string  `json:"first_error,omitempty"`
	Concurrency int     `json:"concurrency"`
	KeepAlive   bool    `json:"keepalive"`
	ElapsedS    float64 `json:"elapsed_s"`
	TimedOut    bool    `json:"stopped_by_time_cap"`
	RPS         float64 `json:"rps"`
	P50Ms       float64 `json:"p50_ms"`
	P99Ms       float64 `json:"p99_ms"`
	MaxMs       float64 `json:"max_ms"`
}

func main() {
	flag.Parse()
	u, err := checkArgs()
	if err != nil {
		fmt.Fprintln(os.Stderr, "eiplab-load:", err)
		os.Exit(2)
	}
	client := newClient()
	if *warmup > 0 {
		run(client, u, *warmup, *concurrency, *maxTime)
	}
	s := run(client, u, *requests, *concurrency, *maxTime)
	_ = json.NewEncoder(os.Stdout).Encode(s)
}

func checkArgs() (string, error) {
	if *target == "" {
		return "", errors.New("-url is required")
	}
	u, err := url.Parse(*target)
	if err != nil || (u.Scheme != "http") {
		return "", fmt.Errorf("-url must be an http:// URL, got %q", *target)
	}
	if net.ParseIP(u.Hostname()) == nil {
		return "", fmt.Errorf("-url must name an IP address, not a host name: %q", u.Hostname())
	}
	if *requests < 1 || *requests > maxRequests {
		return "", fmt.Errorf("-n must be between 1 and %d", maxRequests)
	}
	if *concurrency < 1 || *concurrency > maxConcurrency {
		return "", fmt.Errorf("-c must be between 1 and %d", maxConcurrency)
	}
	if *warmup < 0 || *warmup > maxRequests {
		return "", fmt.Errorf("-warmup must be between 0 and %d", maxRequests)
	}
	if *maxTime <= 0 || *maxTime > maxDuration {
		return "", fmt.Errorf("-max-time must be positive and at most %s", maxDuration)
	}
	if err := checkNamespace(*netns); err != nil {
		return "", err
	}
	return u.String(), nil
}

// checkNamespace makes sure this process runs inside the named network
// namespace: /run/netns/NAME is a bind mount of the namespace, so it is the
// same file as /proc/self/ns/net exactly when we are in it.
func checkNamespace(name string) error {
	if name == "" || strings.ContainsAny(name, "/.") {
		return errors.New("-netns must name the lab namespace to run in, e.g. -netns eiplab-inet")
	}
	want, err := os.Stat("/run/netns/" + name)
	if err != nil {
		return fmt.Errorf("no network namespace %q: %v", name, err)
	}
	self, err := os.Stat("/proc/self/ns/net")
	if err != nil || !os.SameFile(want, self) {
		return fmt.Errorf("refusing to run outside network namespace %q: start it with ip netns exec %s", name, name)
	}
	return nil
}

func newClient() *http.Client {
	transport := &http.Transport{
		Proxy:               nil, // never through a proxy from the environment
		DisableKeepAlives:   !*keepAlive,
		MaxIdleConnsPerHost: *concurrency,
		DialContext:         (&net.Dialer{Timeout: *timeout}).DialContext,
	}
	return &http.Client{Transport: transport, Timeout: *timeout}
}

// run sends n requests with c workers, stopping early at the time cap.
func run(client *http.Client, u string, n, c int, limit time.Duration) summary {
	var next int64 = -1
	deadline := time.Now().Add(limit)
	latencies := make([]time.Duration, n)
	okFlags := make([]bool, n)
	done := make([]bool, n) // false: claimed by a worker that then stopped at the time cap
	var (
		mu       sync.Mutex
		firstErr string
		timedOut int32
		wg       sync.WaitGroup
	)
	start := time.Now()
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := atomic.AddInt64(&next, 1)
				if i >= int64(n) {
					return
				}
				if time.Now().After(deadline) {
					atomic.StoreInt32(&timedOut, 1)
					return
				}
				t0 := time.Now()
				err := get(client, u)
				latencies[i] = time.Since(t0)
				okFlags[i] = err == nil
				done[i] = true
				if err != nil {
					mu.Lock()
					if firstErr == "" {
						firstErr = err.Error()
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	s := summary{URL: u, Requested: n, Concurrency: c, KeepAlive: *keepAlive, FirstError: firstErr, TimedOut: timedOut == 1}
	var ok []time.Duration
	for i := 0; i < n; i++ {
		if !done[i] {
			continue
		}
		s.Count++
		if okFlags[i] {
			ok = append(ok, latencies[i])
		}
	}
	s.OK = len(ok)
	s.Errors = s.Count - s.OK
	s.ElapsedS = elapsed.Seconds()
	if s.ElapsedS > 0 {
		s.RPS = float64(s.OK) / s.ElapsedS
	}
	sort.Slice(ok, func(a, b int) bool { return ok[a] < ok[b] })
	s.P50Ms = ms(percentile(ok, 0.50))
	s.P99Ms = ms(percentile(ok, 0.99))
	if len(ok) > 0 {
		s.MaxMs = ms(ok[len(ok)-1])
	}
	return s
}

func get(client *http.Client, u string) error {
	res, err := client.Get(u)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("status %s", res.Status)
	}
	return nil
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(len(sorted))*p+0.999999) - 1
	if rank < 0 {
		rank = 0
	}
	if rank >= len(sorted) {
		rank = len(sorted) - 1
	}
	return sorted[rank]
}

func ms(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}
